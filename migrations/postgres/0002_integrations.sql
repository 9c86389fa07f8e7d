-- Integrations: notifications (reminders), uploaded documents (mail attachments), and a durable
-- outbox for calls to other systems (orders to the back office, reminder mails).

create table notifications (
    notification_id text not null,
    user_id text not null,
    kind text not null,
    title text not null,
    body text,
    link text,
    task_id text,
    created_at text not null,
    read_at text,
    constraint notifications_notification_id_key primary key (notification_id),
    constraint notifications_user_id_fkey foreign key (user_id) references users (user_id) on delete cascade,
    constraint notifications_task_id_fkey foreign key (task_id) references tasks (task_id) on delete set null
);
create index notifications_user_idx on notifications (user_id, created_at);
create index notifications_unread_idx on notifications (user_id, read_at);

create table documents (
    document_id text not null,
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    sha256 text not null,
    content bytea not null,
    uploaded_by text,
    created_at text not null,
    constraint documents_document_id_key primary key (document_id),
    constraint documents_uploaded_by_fkey foreign key (uploaded_by) references users (user_id)
);

-- One row per call to make. Workers claim a row by moving `locked_until` into the future
-- (a lease), so several instances never run the same call at once and a crashed worker's
-- rows come back when the lease ends.
create table outbox (
    outbox_id text not null,
    kind text not null,
    subject_id text not null,
    payload text not null,
    status text not null,
    attempts bigint not null default 0,
    next_attempt_at text not null,
    locked_until text,
    last_error text,
    created_at text not null,
    updated_at text not null,
    constraint outbox_outbox_id_key primary key (outbox_id)
);
create index outbox_due_idx on outbox (status, next_attempt_at);
create index outbox_subject_idx on outbox (kind, subject_id);

-- Orders pushed to the back office: null when no back office is configured.
alter table orders add column sync_status text;
alter table orders add column synced_at text;
alter table orders add column external_ref text;

-- Due reminders are found by this index and claimed by setting reminder_sent_at in the same
-- transaction that writes the notification (see server::reminders).
create index tasks_reminder_due_idx on tasks (reminder_sent_at, reminder_date);
