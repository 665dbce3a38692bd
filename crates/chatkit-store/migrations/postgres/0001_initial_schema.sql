-- Threads in creation order (`pk`), partitioned by owner.
CREATE TABLE chatkit_threads (
    pk       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner    text COLLATE "C" NOT NULL,
    id       text COLLATE "C" NOT NULL,
    -- Position of the thread's newest item; taken under the row lock, so positions follow
    -- commit order even with many writers.
    last_seq bigint NOT NULL DEFAULT 0,
    -- The thread metadata.
    data     jsonb NOT NULL,
    UNIQUE (owner, id)
);

-- threads.list: one owner's threads by creation order.
CREATE INDEX chatkit_threads_by_owner ON chatkit_threads (owner, pk);

-- Items in insertion order: `seq` only grows within a thread, and an update keeps it.
CREATE TABLE chatkit_items (
    thread_pk bigint NOT NULL REFERENCES chatkit_threads (pk) ON DELETE CASCADE,
    seq       bigint NOT NULL,
    id        text COLLATE "C" NOT NULL,
    type      text NOT NULL,
    -- The item.
    data      jsonb NOT NULL,
    PRIMARY KEY (thread_pk, id),
    -- items.list: one thread's items by position.
    UNIQUE (thread_pk, seq)
);

CREATE TABLE chatkit_attachments (
    owner text COLLATE "C" NOT NULL,
    id    text COLLATE "C" NOT NULL,
    -- The attachment, metadata included.
    data  jsonb NOT NULL,
    PRIMARY KEY (owner, id)
);
