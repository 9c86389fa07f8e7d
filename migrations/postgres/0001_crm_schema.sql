create table users (
    user_id text not null,
    username text not null,
    email text not null,
    password_hash text not null,
    role text not null,
    is_active bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint users_user_id_key primary key (user_id),
    constraint users_email_key unique (email)
);

create table accounts (
    account_id text not null,
    name text not null,
    account_type text not null,
    industry text,
    website text,
    phone text,
    email text,
    billing_address text,
    city text,
    state text,
    country text,
    postal_code text,
    annual_revenue_cents bigint,
    employee_count bigint,
    territory text,
    status text not null,
    lifecycle_stage text,
    latitude double precision,
    longitude double precision,
    geocoded_address text,
    owner_id text,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint accounts_account_id_key primary key (account_id),
    constraint accounts_owner_id_fkey foreign key (owner_id) references users (user_id)
);
create index accounts_created_idx on accounts (created_at, account_id);
create index accounts_name_idx on accounts (name);
create index accounts_owner_idx on accounts (owner_id);
create index accounts_type_status_idx on accounts (account_type, status);

create table contacts (
    contact_id text not null,
    account_id text,
    first_name text not null,
    last_name text not null,
    title text,
    department text,
    email text,
    phone text,
    mobile text,
    contact_role text not null,
    is_primary bigint not null default 0,
    status text not null,
    owner_id text,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint contacts_contact_id_key primary key (contact_id),
    constraint contacts_account_id_fkey foreign key (account_id) references accounts (account_id) on delete cascade,
    constraint contacts_owner_id_fkey foreign key (owner_id) references users (user_id)
);
create index contacts_account_idx on contacts (account_id);
create index contacts_created_idx on contacts (created_at, contact_id);
create index contacts_email_idx on contacts (email);

create table leads (
    lead_id text not null,
    first_name text not null,
    last_name text not null,
    company text,
    title text,
    email text,
    phone text,
    lead_source text,
    lead_status text not null,
    lead_stage text not null,
    budget_cents bigint,
    timeline text,
    need text,
    assigned_to text,
    is_converted bigint not null default 0,
    converted_at text,
    converted_account_id text,
    converted_contact_id text,
    converted_opportunity_id text,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint leads_lead_id_key primary key (lead_id),
    constraint leads_assigned_to_fkey foreign key (assigned_to) references users (user_id)
);
create index leads_created_idx on leads (created_at, lead_id);
create index leads_status_idx on leads (lead_stage, lead_status);
create index leads_assigned_idx on leads (assigned_to);

create table opportunities (
    opportunity_id text not null,
    account_id text not null,
    primary_contact_id text,
    lead_id text,
    name text not null,
    description text,
    stage text not null,
    probability double precision not null,
    amount_cents bigint,
    currency text not null,
    expected_revenue_cents bigint,
    close_date text,
    requirements text,
    products_interested text,
    owner_id text,
    is_closed bigint not null default 0,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint opportunities_opportunity_id_key primary key (opportunity_id),
    constraint opportunities_account_id_fkey foreign key (account_id) references accounts (account_id) on delete cascade,
    constraint opportunities_primary_contact_id_fkey foreign key (primary_contact_id) references contacts (contact_id) on delete set null,
    constraint opportunities_lead_id_fkey foreign key (lead_id) references leads (lead_id) on delete set null,
    constraint opportunities_owner_id_fkey foreign key (owner_id) references users (user_id)
);
create index opportunities_account_idx on opportunities (account_id);
create index opportunities_created_idx on opportunities (created_at, opportunity_id);
create index opportunities_stage_idx on opportunities (stage, close_date);
create index opportunities_owner_idx on opportunities (owner_id);
create index opportunities_close_idx on opportunities (close_date);

create table opportunity_stage_history (
    change_id text not null,
    opportunity_id text not null,
    from_stage text,
    to_stage text not null,
    changed_by text,
    changed_at text not null,
    constraint opportunity_stage_history_change_id_key primary key (change_id),
    constraint opportunity_stage_history_opportunity_id_fkey foreign key (opportunity_id) references opportunities (opportunity_id) on delete cascade,
    constraint opportunity_stage_history_changed_by_fkey foreign key (changed_by) references users (user_id)
);
create index opportunity_stage_history_opp_idx on opportunity_stage_history (opportunity_id, changed_at);

create table activities (
    activity_id text not null,
    subject text not null,
    description text,
    activity_type text not null,
    status text not null,
    priority text,
    due_date text,
    start_time text,
    end_time text,
    duration_minutes bigint,
    account_id text,
    contact_id text,
    opportunity_id text,
    lead_id text,
    assigned_to text,
    outcome text,
    next_steps text,
    location_address text,
    latitude double precision,
    longitude double precision,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint activities_activity_id_key primary key (activity_id),
    constraint activities_account_id_fkey foreign key (account_id) references accounts (account_id) on delete cascade,
    constraint activities_contact_id_fkey foreign key (contact_id) references contacts (contact_id) on delete set null,
    constraint activities_opportunity_id_fkey foreign key (opportunity_id) references opportunities (opportunity_id) on delete set null,
    constraint activities_lead_id_fkey foreign key (lead_id) references leads (lead_id) on delete set null,
    constraint activities_assigned_to_fkey foreign key (assigned_to) references users (user_id)
);
create index activities_account_idx on activities (account_id, start_time);
create index activities_opportunity_idx on activities (opportunity_id);
create index activities_lead_idx on activities (lead_id);
create index activities_contact_idx on activities (contact_id);
create index activities_assigned_idx on activities (assigned_to, status, start_time);
create index activities_created_idx on activities (created_at, activity_id);

create table tasks (
    task_id text not null,
    title text not null,
    description text,
    priority text not null,
    status text not null,
    due_date text,
    reminder_date text,
    reminder_sent_at text,
    completed_at text,
    assigned_to text,
    account_id text,
    opportunity_id text,
    contact_id text,
    lead_id text,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint tasks_task_id_key primary key (task_id),
    constraint tasks_assigned_to_fkey foreign key (assigned_to) references users (user_id),
    constraint tasks_account_id_fkey foreign key (account_id) references accounts (account_id) on delete cascade,
    constraint tasks_opportunity_id_fkey foreign key (opportunity_id) references opportunities (opportunity_id) on delete set null,
    constraint tasks_contact_id_fkey foreign key (contact_id) references contacts (contact_id) on delete set null,
    constraint tasks_lead_id_fkey foreign key (lead_id) references leads (lead_id) on delete set null
);
create index tasks_account_idx on tasks (account_id);
create index tasks_opportunity_idx on tasks (opportunity_id);
create index tasks_assigned_idx on tasks (assigned_to, status, due_date);
create index tasks_status_due_idx on tasks (status, due_date);
create index tasks_reminder_idx on tasks (reminder_date);
create index tasks_created_idx on tasks (created_at, task_id);

create table orders (
    order_id text not null,
    account_id text not null,
    opportunity_id text,
    product_id text not null,
    quantity bigint not null,
    unit_price_cents bigint not null,
    total_amount_cents bigint not null,
    currency text not null,
    special_requirements text,
    status text not null,
    order_date text not null,
    idempotency_key text,
    created_by text,
    version bigint not null default 1,
    created_at text not null,
    updated_at text not null,
    constraint orders_order_id_key primary key (order_id),
    constraint orders_opportunity_id_key unique (opportunity_id),
    constraint orders_account_id_fkey foreign key (account_id) references accounts (account_id) on delete cascade,
    constraint orders_opportunity_id_fkey foreign key (opportunity_id) references opportunities (opportunity_id) on delete set null,
    constraint orders_created_by_fkey foreign key (created_by) references users (user_id)
);
create index orders_account_idx on orders (account_id, order_date);
create index orders_status_idx on orders (status, order_date);
create index orders_date_idx on orders (order_date, order_id);
