-- Threads in creation order (`pk`), partitioned by owner.
CREATE TABLE chatkit_threads (
    pk    INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    id    TEXT NOT NULL,
    -- The thread metadata as JSON.
    data  TEXT NOT NULL,
    UNIQUE (owner, id)
);

-- threads.list: one owner's threads by creation order.
CREATE INDEX chatkit_threads_by_owner ON chatkit_threads (owner, pk);

-- Items in insertion order: `seq` only grows, and an update keeps it.
CREATE TABLE chatkit_items (
    seq       INTEGER PRIMARY KEY,
    thread_pk INTEGER NOT NULL REFERENCES chatkit_threads (pk) ON DELETE CASCADE,
    id        TEXT NOT NULL,
    type      TEXT NOT NULL,
    -- The item as JSON.
    data      TEXT NOT NULL,
    UNIQUE (thread_pk, id)
);

-- items.list: one thread's items by position.
CREATE INDEX chatkit_items_by_thread ON chatkit_items (thread_pk, seq);

CREATE TABLE chatkit_attachments (
    owner TEXT NOT NULL,
    id    TEXT NOT NULL,
    -- The attachment (metadata included) as JSON.
    data  TEXT NOT NULL,
    PRIMARY KEY (owner, id)
);
