-- Tallies: the counts behind the dashboards and boards, so that reading them costs the same at
-- 1k or 1M records. Triggers append a +1 row for each record that enters a group and a -1 row
-- for each that leaves it, in the same transaction as the write, so a tally is always exact:
-- the count of a group is SUM(n) over its rows. Appending (never updating a shared counter row)
-- keeps concurrent writers from queueing on a hot row on PostgreSQL. The server folds the rows
-- into one per group from time to time (`server::crm::tallies::compact`).
--
-- Keys hold the values the dashboards group by: no holder is '' and no industry 'Other', no
-- lead source 'other'. The holder column has the name of the record's holder column, so the
-- visibility rule (`Access::restrict`) applies to a tally as it does to the records.

create table account_tallies (
    owner_id text not null,
    account_type text not null,
    status text not null,
    industry text not null,
    n bigint not null
);

create table lead_tallies (
    assigned_to text not null,
    lead_stage text not null,
    lead_status text not null,
    lead_source text not null,
    is_converted bigint not null,
    n bigint not null
);

-- Money is summed per currency; dashboards convert each currency's sum to the base currency.
create table opportunity_tallies (
    owner_id text not null,
    stage text not null,
    currency text not null,
    n bigint not null,
    with_amount bigint not null,
    amount_cents bigint not null,
    expected_revenue_cents bigint not null
);

insert into account_tallies
select coalesce(owner_id, ''), account_type, status, coalesce(industry, 'Other'), count(*)
from accounts group by 1, 2, 3, 4;

insert into lead_tallies
select coalesce(assigned_to, ''), lead_stage, lead_status, coalesce(lead_source, 'other'), is_converted, count(*)
from leads group by 1, 2, 3, 4, 5;

insert into opportunity_tallies
select coalesce(owner_id, ''), stage, currency, count(*), count(amount_cents),
       coalesce(sum(amount_cents), 0), coalesce(sum(expected_revenue_cents), 0)
from opportunities group by 1, 2, 3;

-- One trigger function per table: -1 for the group a row leaves, +1 for the group it enters.
create function account_tallies_apply() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        insert into account_tallies
        values (coalesce(old.owner_id, ''), old.account_type, old.status, coalesce(old.industry, 'Other'), -1);
    end if;
    if tg_op <> 'DELETE' then
        insert into account_tallies
        values (coalesce(new.owner_id, ''), new.account_type, new.status, coalesce(new.industry, 'Other'), 1);
    end if;
    return null;
end $$;
create trigger account_tallies_insert_delete after insert or delete on accounts
    for each row execute function account_tallies_apply();
create trigger account_tallies_update after update of owner_id, account_type, status, industry on accounts
    for each row when (old.owner_id is distinct from new.owner_id or old.account_type is distinct from new.account_type
        or old.status is distinct from new.status or old.industry is distinct from new.industry)
    execute function account_tallies_apply();

create function lead_tallies_apply() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        insert into lead_tallies
        values (coalesce(old.assigned_to, ''), old.lead_stage, old.lead_status, coalesce(old.lead_source, 'other'),
                old.is_converted, -1);
    end if;
    if tg_op <> 'DELETE' then
        insert into lead_tallies
        values (coalesce(new.assigned_to, ''), new.lead_stage, new.lead_status, coalesce(new.lead_source, 'other'),
                new.is_converted, 1);
    end if;
    return null;
end $$;
create trigger lead_tallies_insert_delete after insert or delete on leads
    for each row execute function lead_tallies_apply();
create trigger lead_tallies_update after update of assigned_to, lead_stage, lead_status, lead_source, is_converted on leads
    for each row when (old.assigned_to is distinct from new.assigned_to or old.lead_stage is distinct from new.lead_stage
        or old.lead_status is distinct from new.lead_status or old.lead_source is distinct from new.lead_source
        or old.is_converted is distinct from new.is_converted)
    execute function lead_tallies_apply();

create function opportunity_tallies_apply() returns trigger language plpgsql as $$
begin
    if tg_op <> 'INSERT' then
        insert into opportunity_tallies
        values (coalesce(old.owner_id, ''), old.stage, old.currency, -1, -(old.amount_cents is not null)::int,
                -coalesce(old.amount_cents, 0), -coalesce(old.expected_revenue_cents, 0));
    end if;
    if tg_op <> 'DELETE' then
        insert into opportunity_tallies
        values (coalesce(new.owner_id, ''), new.stage, new.currency, 1, (new.amount_cents is not null)::int,
                coalesce(new.amount_cents, 0), coalesce(new.expected_revenue_cents, 0));
    end if;
    return null;
end $$;
create trigger opportunity_tallies_insert_delete after insert or delete on opportunities
    for each row execute function opportunity_tallies_apply();
create trigger opportunity_tallies_update
    after update of owner_id, stage, currency, amount_cents, expected_revenue_cents on opportunities
    for each row when (old.owner_id is distinct from new.owner_id or old.stage is distinct from new.stage
        or old.currency is distinct from new.currency or old.amount_cents is distinct from new.amount_cents
        or old.expected_revenue_cents is distinct from new.expected_revenue_cents)
    execute function opportunity_tallies_apply();

-- Boards read the newest records of each column through these, a column at a time.
create index leads_board_idx on leads (is_converted, lead_stage, lead_status, created_at, lead_id);
create index opportunities_board_idx on opportunities (stage, created_at, opportunity_id);
-- The dashboard's activity feed: newest by start (or creation) time.
create index activities_feed_idx on activities ((coalesce(start_time, created_at)) desc, activity_id);
-- The dashboard's open-task feed: the caller's own first, then everyone's, by due date.
create index tasks_open_mine_idx on tasks (assigned_to, (coalesce(due_date, '9999')), task_id)
    where status not in ('completed', 'cancelled');
create index tasks_open_due_idx on tasks ((coalesce(due_date, '9999')), task_id)
    where status not in ('completed', 'cancelled');
-- The dashboard page's won/lost-by-month chart reads the closed deals of a few months from this
-- index alone.
create index opportunities_closed_idx on opportunities (is_closed, close_date, stage, owner_id);
