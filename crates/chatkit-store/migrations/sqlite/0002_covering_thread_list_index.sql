-- threads.list: one owner's threads by creation order, read from the index alone. With
-- only (owner, pk) in it, every thread of a page cost one more lookup in the table for its
-- id and data; the index now holds them too (a thread's metadata is stored twice).
DROP INDEX chatkit_threads_by_owner;
CREATE INDEX chatkit_threads_by_owner ON chatkit_threads (owner, pk, id, data);
