//! Synthetic data: `lanes seed` (large sets for benchmarks) and `serve --demo` (a small, complete
//! set to click around in). Rows are written in multi-row INSERTs inside one write transaction per
//! chunk of accounts, which is what makes a million accounts take minutes, not hours.

use anyhow::Context;
use app::{
    model::{self, money},
    server::{
        AppState,
        crm::tallies,
        db::{Db, Engine, WriteTx},
        sql::{Sql, SqlValue},
        time, users,
    },
};
use chrono::{Duration, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::IndexedRandom};

#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// Accounts to create (each gets the related records below).
    #[arg(long, default_value_t = 10_000)]
    pub accounts: u64,
    #[arg(long, default_value_t = 3)]
    pub contacts_per_account: u64,
    #[arg(long, default_value_t = 2)]
    pub opportunities_per_account: u64,
    #[arg(long, default_value_t = 5)]
    pub activities_per_account: u64,
    #[arg(long, default_value_t = 3)]
    pub tasks_per_account: u64,
    /// Orders per 10 accounts.
    #[arg(long, default_value_t = 5)]
    pub orders_per_10_accounts: u64,
    /// Leads (default: as many as accounts).
    #[arg(long)]
    pub leads: Option<u64>,
    /// Sales reps to spread ownership over (created when missing).
    #[arg(long, default_value_t = 20)]
    pub reps: u64,
    /// Random seed, for a reproducible data set.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Hide the progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// Accounts written per transaction.
const CHUNK: u64 = 500;
/// The dashboards' tallies are folded after this many accounts (a multiple of `CHUNK`), so a
/// large load does not leave millions of tally rows for the server to fold.
const FOLD_EVERY_ACCOUNTS: u64 = 50_000;

pub async fn run(db: &Db, args: &SeedArgs) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(db.pool()).await?;
    anyhow::ensure!(existing == 0, "the database already has {existing} accounts; seed an empty database");
    let started = std::time::Instant::now();
    let reps = ensure_reps(db, args.reps.max(1)).await?;
    let mut generator = Generator::new(args.seed, reps);
    let bar = progress_bar(args.accounts, args.quiet);
    let mut done = 0;
    while done < args.accounts {
        let n = CHUNK.min(args.accounts - done);
        let leads = args.leads.unwrap_or(args.accounts) * n / args.accounts.max(1);
        let batch = generator.chunk(n, leads, args);
        batch.write(db).await?;
        done += n;
        bar.set_position(done);
        if done % FOLD_EVERY_ACCOUNTS == 0 {
            tallies::fold_all(db).await?;
        }
    }
    tallies::fold_all(db).await?;
    bar.finish_and_clear();
    println!("seeded {} accounts and their records in {:.1}s", args.accounts, started.elapsed().as_secs_f64());
    Ok(())
}

fn progress_bar(total: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{elapsed_precise} [{bar:40}] {pos}/{len} accounts ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The demo admin's credentials: the contract's example, used only when no admin is configured.
const DEMO_ADMIN: (&str, &str) = ("admin@example.com", "admin123");

/// Fills an empty database with a small, complete demo data set (every stage, status, type).
pub async fn demo(state: &AppState) -> anyhow::Result<()> {
    if state.settings.admin_email.is_none() {
        let created = users::ensure_admin(&state.db, DEMO_ADMIN.0, DEMO_ADMIN.1, false)
            .await
            .map_err(|e| anyhow::anyhow!(e.detail))?;
        if created {
            tracing::warn!(
                "DEMO MODE: created the admin {} with the well-known password {:?}. \
                 Never expose this server; set LANES_ADMIN_EMAIL and LANES_ADMIN_PASSWORD instead.",
                DEMO_ADMIN.0,
                DEMO_ADMIN.1
            );
        }
    }
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts").fetch_one(state.db.pool()).await?;
    if existing > 0 {
        return Ok(());
    }
    let reps = ensure_reps(&state.db, 4).await?;
    let args = SeedArgs {
        accounts: 24,
        contacts_per_account: 3,
        opportunities_per_account: 2,
        activities_per_account: 4,
        tasks_per_account: 2,
        orders_per_10_accounts: 5,
        leads: Some(30),
        reps: 4,
        seed: 7,
        quiet: true,
    };
    // The admin owns some records too, so "mine" views are not empty after a demo login.
    let mut owners = reps;
    let admin = users::find_by_email(&state.db, state.settings.admin_email.as_deref().unwrap_or(DEMO_ADMIN.0)).await?;
    if let Some(admin) = &admin {
        owners.push(admin.user_id.clone());
    }
    let mut generator = Generator::new(args.seed, owners);
    generator.chunk(args.accounts, args.leads.unwrap_or(0), &args).write(&state.db).await?;
    if let Some(admin) = admin {
        convert_demo_leads(state, admin).await?;
    }
    tracing::info!("demo data: 24 accounts with contacts, leads, opportunities, activities, tasks and orders");
    Ok(())
}

/// Converts the leads in negotiation, as the admin, through the service layer's one
/// conversion: the demo then shows won-over leads (a conversion rate above 0 %) with the
/// accounts, contacts and deals they became.
async fn convert_demo_leads(state: &AppState, admin: model::User) -> anyhow::Result<()> {
    use app::server::{
        auth::AuthUser,
        crm::{Access, leads},
    };
    let user = AuthUser { user_id: admin.user_id, email: admin.email, username: admin.username, role: admin.role };
    let access = Access::new(state, user);
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT lead_id FROM leads WHERE lead_status = $1 AND is_converted = 0 ORDER BY lead_id")
            .bind(model::LeadStatus::Negotiation.as_str())
            .fetch_all(state.db.pool())
            .await?;
    for id in ids {
        leads::convert(state, &access, &id, model::LeadConversion::default())
            .await
            .map_err(|e| anyhow::anyhow!("converting demo lead {id}: {}", e.detail))?;
    }
    Ok(())
}

/// Sales reps `rep1@lanes.example` … (passwords are random: they exist to own records).
async fn ensure_reps(db: &Db, count: u64) -> anyhow::Result<Vec<String>> {
    let hash = app::server::auth::hash_password(app::server::ids::new_id("unusable-"))
        .await
        .map_err(|e| anyhow::anyhow!(e.detail))?;
    let mut ids = Vec::new();
    for i in 1..=count {
        let email = format!("rep{i}@lanes.example");
        let user = match users::find_by_email(db, &email).await.map_err(|e| anyhow::anyhow!(e.detail))? {
            Some(user) => user,
            None => {
                let role = if i == 1 { model::Role::Manager } else { model::Role::User };
                users::insert(
                    db,
                    &format!(
                        "{} {}",
                        FIRST_NAMES[i as usize % FIRST_NAMES.len()],
                        LAST_NAMES[i as usize % LAST_NAMES.len()]
                    ),
                    &email,
                    &hash,
                    role,
                )
                .await
                .map_err(|e| anyhow::anyhow!(e.detail))?
            }
        };
        ids.push(user.user_id);
    }
    Ok(ids)
}

type Val = SqlValue;

fn t(s: impl Into<String>) -> Val {
    Val::Text(Some(s.into()))
}
fn ot(s: Option<String>) -> Val {
    Val::Text(s)
}
fn i(n: i64) -> Val {
    Val::Int(Some(n))
}
fn oi(n: Option<i64>) -> Val {
    Val::Int(n)
}
fn r(x: f64) -> Val {
    Val::Real(Some(x))
}

/// Rows for one table, written with as few statements as the parameter limits allow.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Val>>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Table { name, columns, rows: Vec::new() }
    }

    async fn write(&self, tx: &mut WriteTx, engine: Engine) -> anyhow::Result<()> {
        // Few large statements are fastest on PostgreSQL (it takes up to 65,535 parameters). On
        // SQLite, binding costs O(n²) in the parameters of a statement (sqlx looks each `$n` up
        // by name, and SQLite finds a name by walking a list), so statements stay small there:
        // 30,000 parameters made seeding 30 times slower than 900.
        let max_parameters = match engine {
            Engine::Sqlite => 900,
            Engine::Postgres => 30_000,
        };
        let per_statement = (max_parameters / self.columns.len()).max(1);
        for rows in self.rows.chunks(per_statement) {
            let mut sql = Sql::new(&format!("INSERT INTO {} ({}) VALUES ", self.name, self.columns.join(", ")));
            for (row_index, row) in rows.iter().enumerate() {
                if row_index > 0 {
                    sql.push(", ");
                }
                sql.bind_list(row.iter().cloned());
            }
            let query = sql.query();
            query.execute(&mut **tx).await.with_context(|| format!("inserting into {}", self.name))?;
        }
        Ok(())
    }
}

struct Batch {
    tables: Vec<Table>,
}

impl Batch {
    async fn write(&self, db: &Db) -> anyhow::Result<()> {
        let mut tx = db.begin_write().await?;
        for table in &self.tables {
            table.write(&mut tx, db.engine()).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Unique, random-looking ids for a run: an affine bijection on the 36^8 id space keeps ids
/// unique without a lookup per row.
struct IdSpace {
    offset: u128,
    counter: u128,
}

const ID_SPACE: u128 = 2_821_109_907_456; // 36^8
const ID_STRIDE: u128 = 1_500_450_271; // coprime with 36

impl IdSpace {
    fn next(&mut self, prefix: &str) -> String {
        let mut n = (self.counter * ID_STRIDE + self.offset) % ID_SPACE;
        self.counter += 1;
        let mut chars = [b'0'; 8];
        for c in chars.iter_mut().rev() {
            *c = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n % 36) as usize];
            n /= 36;
        }
        format!("{prefix}{}", String::from_utf8_lossy(&chars))
    }
}

struct Generator {
    rng: StdRng,
    ids: IdSpace,
    owners: Vec<String>,
    /// Running counters, so even a small set covers every enum value.
    n_accounts: usize,
    n_contacts: usize,
    n_leads: usize,
    n_opportunities: usize,
    n_activities: usize,
    n_tasks: usize,
    n_orders: usize,
}

impl Generator {
    fn new(seed: u64, owners: Vec<String>) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let offset = rng.random_range(0..ID_SPACE);
        Generator {
            rng,
            ids: IdSpace { offset, counter: 0 },
            owners,
            n_accounts: 0,
            n_contacts: 0,
            n_leads: 0,
            n_opportunities: 0,
            n_activities: 0,
            n_tasks: 0,
            n_orders: 0,
        }
    }

    fn owner(&mut self) -> String {
        self.owners.choose(&mut self.rng).cloned().unwrap_or_default()
    }

    fn days_from_now(&mut self, min: i64, max: i64) -> String {
        let minutes = self.rng.random_range(min * 24 * 60..=max * 24 * 60);
        // Business hours look more real: round to the quarter hour.
        time::format(Utc::now() + Duration::minutes(minutes - minutes % 15))
    }

    fn chunk(&mut self, accounts: u64, leads: u64, args: &SeedArgs) -> Batch {
        let mut account_t = Table::new(
            "accounts",
            &[
                "account_id",
                "name",
                "account_type",
                "industry",
                "website",
                "phone",
                "email",
                "billing_address",
                "city",
                "state",
                "country",
                "postal_code",
                "annual_revenue_cents",
                "employee_count",
                "territory",
                "status",
                "lifecycle_stage",
                "owner_id",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut contact_t = Table::new(
            "contacts",
            &[
                "contact_id",
                "account_id",
                "first_name",
                "last_name",
                "title",
                "department",
                "email",
                "phone",
                "mobile",
                "contact_role",
                "is_primary",
                "status",
                "owner_id",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut lead_t = Table::new(
            "leads",
            &[
                "lead_id",
                "first_name",
                "last_name",
                "company",
                "title",
                "email",
                "phone",
                "lead_source",
                "lead_status",
                "lead_stage",
                "budget_cents",
                "timeline",
                "need",
                "assigned_to",
                "is_converted",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut opp_t = Table::new(
            "opportunities",
            &[
                "opportunity_id",
                "account_id",
                "primary_contact_id",
                "name",
                "description",
                "stage",
                "probability",
                "amount_cents",
                "currency",
                "expected_revenue_cents",
                "close_date",
                "requirements",
                "products_interested",
                "owner_id",
                "is_closed",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut history_t = Table::new(
            "opportunity_stage_history",
            &["change_id", "opportunity_id", "from_stage", "to_stage", "changed_by", "changed_at"],
        );
        let mut activity_t = Table::new(
            "activities",
            &[
                "activity_id",
                "subject",
                "description",
                "activity_type",
                "status",
                "priority",
                "due_date",
                "start_time",
                "end_time",
                "duration_minutes",
                "account_id",
                "contact_id",
                "opportunity_id",
                "assigned_to",
                "outcome",
                "next_steps",
                "location_address",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut task_t = Table::new(
            "tasks",
            &[
                "task_id",
                "title",
                "description",
                "priority",
                "status",
                "due_date",
                "reminder_date",
                "completed_at",
                "assigned_to",
                "account_id",
                "opportunity_id",
                "version",
                "created_at",
                "updated_at",
            ],
        );
        let mut order_t = Table::new(
            "orders",
            &[
                "order_id",
                "account_id",
                "opportunity_id",
                "product_id",
                "quantity",
                "unit_price_cents",
                "total_amount_cents",
                "currency",
                "special_requirements",
                "status",
                "order_date",
                "created_by",
                "version",
                "created_at",
                "updated_at",
            ],
        );

        for _ in 0..accounts {
            let n = self.n_accounts;
            self.n_accounts += 1;
            let account_id = self.ids.next("ACC_");
            let company = company_name(&mut self.rng, n);
            let (city, state, country, postal, territory) = *CITIES.choose(&mut self.rng).unwrap_or(&CITIES[0]);
            let account_type = model::AccountType::ALL[n % model::AccountType::ALL.len()];
            let industry = INDUSTRIES[n % INDUSTRIES.len()];
            let domain = domain_of(&company);
            let created = self.days_from_now(-540, -30);
            let owner = self.owner();
            let status = if n % 12 == 11 { "inactive" } else { "active" };
            let lifecycle = match account_type {
                model::AccountType::Customer => "customer",
                model::AccountType::Prospect => "opportunity",
                model::AccountType::Partner => "evangelist",
            };
            let street = format!(
                "{} {}",
                self.rng.random_range(10..2000),
                STREETS.choose(&mut self.rng).unwrap_or(&"Main Street")
            );
            account_t.rows.push(vec![
                t(&account_id),
                t(&company),
                t(account_type.as_str()),
                t(industry),
                t(format!("https://{domain}")),
                t(phone(&mut self.rng)),
                t(format!("info@{domain}")),
                t(street),
                t(city),
                t(state),
                t(country),
                t(postal),
                i(self.rng.random_range(2_000..50_000) * 100_000),
                i(self.rng.random_range(10..5_000)),
                t(territory),
                t(status),
                t(lifecycle),
                t(&owner),
                i(1),
                t(&created),
                t(&created),
            ]);

            let mut contact_ids = Vec::new();
            for c in 0..args.contacts_per_account {
                let m = self.n_contacts;
                self.n_contacts += 1;
                let id = self.ids.next("CON_");
                let first = FIRST_NAMES[(m * 7 + 3) % FIRST_NAMES.len()];
                let last = LAST_NAMES[(m * 11 + 5) % LAST_NAMES.len()];
                let (title, department) = *TITLES.choose(&mut self.rng).unwrap_or(&TITLES[0]);
                let role = model::ContactRole::ALL[m % model::ContactRole::ALL.len()];
                contact_t.rows.push(vec![
                    t(&id),
                    t(&account_id),
                    t(first),
                    t(last),
                    t(title),
                    t(department),
                    t(format!("{}.{}@{domain}", first.to_lowercase(), last.to_lowercase())),
                    t(phone(&mut self.rng)),
                    t(phone(&mut self.rng)),
                    t(role.as_str()),
                    i(i64::from(c == 0)),
                    t(if m % 15 == 14 { "inactive" } else { "active" }),
                    t(&owner),
                    i(1),
                    t(&created),
                    t(&created),
                ]);
                contact_ids.push(id);
            }

            let mut opportunity_ids = Vec::new();
            for _ in 0..args.opportunities_per_account {
                let m = self.n_opportunities;
                self.n_opportunities += 1;
                let id = self.ids.next("OPP_");
                let stage = model::OpportunityStage::ALL[m % model::OpportunityStage::ALL.len()];
                let probability = stage.default_probability();
                let amount = self.rng.random_range(50..5_000) * 100_000;
                let close = if stage.is_closed() { self.days_from_now(-120, -1) } else { self.days_from_now(1, 180) };
                let product = PRODUCTS.choose(&mut self.rng).unwrap_or(&PRODUCTS[0]);
                let opp_created = self.days_from_now(-300, -10);
                opp_t.rows.push(vec![
                    t(&id),
                    t(&account_id),
                    ot(contact_ids.first().cloned()),
                    t(format!("{product} for {company}")),
                    t(format!("{company} wants to modernise with a {}", product.to_lowercase())),
                    t(stage.as_str()),
                    r(probability),
                    i(amount),
                    t("USD"),
                    i(money::expected_revenue_cents(amount, probability)),
                    t(close),
                    t("Integration with the existing ERP"),
                    t(*product),
                    t(&owner),
                    i(i64::from(stage.is_closed())),
                    i(1),
                    t(&opp_created),
                    t(&opp_created),
                ]);
                history_t.rows.push(vec![
                    t(self.ids.next("OSH_")),
                    t(&id),
                    Val::Text(None),
                    t(stage.as_str()),
                    t(&owner),
                    t(&opp_created),
                ]);
                opportunity_ids.push((id, stage, amount));
            }

            for _ in 0..args.activities_per_account {
                let m = self.n_activities;
                self.n_activities += 1;
                let id = self.ids.next("ACT_");
                let kind = model::ActivityType::ALL[m % model::ActivityType::ALL.len()];
                // Past activities are mostly done; future ones planned.
                let start = self.days_from_now(-60, 21);
                let is_past = start < time::now();
                let status = if is_past && !m.is_multiple_of(9) {
                    "completed"
                } else if m.is_multiple_of(13) {
                    "cancelled"
                } else {
                    "planned"
                };
                let duration = [15_i64, 30, 45, 60][m % 4];
                let (subject, outcome, next) = ACTIVITY_TEXTS[m % ACTIVITY_TEXTS.len()];
                let end = chrono::DateTime::parse_from_rfc3339(&start)
                    .map(|s| time::format(s.with_timezone(&Utc) + Duration::minutes(duration)))
                    .unwrap_or_else(|_| start.clone());
                let assignee = self.owner();
                let completed = status == "completed";
                activity_t.rows.push(vec![
                    t(&id),
                    t(format!("{subject} ({})", kind.as_str())),
                    t(format!("{subject} with {company}")),
                    t(kind.as_str()),
                    t(status),
                    t(model::Priority::ALL[m % 4].as_str()),
                    t(&start),
                    t(&start),
                    t(&end),
                    i(duration),
                    t(&account_id),
                    ot(contact_ids.get(m % contact_ids.len().max(1)).cloned()),
                    ot(opportunity_ids.first().map(|o| o.0.clone())),
                    t(&assignee),
                    ot(completed.then(|| outcome.to_string())),
                    ot(completed.then(|| next.to_string())),
                    ot((kind == model::ActivityType::Visit).then(|| format!("{city}, {state}"))),
                    i(1),
                    t(&created),
                    t(&created),
                ]);
            }

            for _ in 0..args.tasks_per_account {
                let m = self.n_tasks;
                self.n_tasks += 1;
                let id = self.ids.next("TASK_");
                let status = model::TaskStatus::ALL[m % model::TaskStatus::ALL.len()];
                let due = self.days_from_now(-10, 30);
                let reminder = chrono::DateTime::parse_from_rfc3339(&due)
                    .map(|d| time::format(d.with_timezone(&Utc) - Duration::hours(20)))
                    .ok();
                let title = TASK_TITLES[m % TASK_TITLES.len()];
                let completed_at = (status == model::TaskStatus::Completed).then(|| due.clone());
                let assignee = self.owner();
                task_t.rows.push(vec![
                    t(&id),
                    t(format!("{title} – {company}")),
                    t(format!("{title} for {company}")),
                    t(model::Priority::ALL[(m + 1) % 4].as_str()),
                    t(status.as_str()),
                    t(&due),
                    ot(reminder),
                    ot(completed_at),
                    t(&assignee),
                    t(&account_id),
                    ot(opportunity_ids.first().map(|o| o.0.clone())),
                    i(1),
                    t(&created),
                    t(&created),
                ]);
            }

            if (n as u64 % 10) < args.orders_per_10_accounts {
                let m = self.n_orders;
                self.n_orders += 1;
                let won = opportunity_ids.iter().find(|o| o.1 == model::OpportunityStage::ClosedWon);
                let quantity = self.rng.random_range(1..20);
                let total = won.map(|o| o.2).unwrap_or_else(|| self.rng.random_range(10..500) * 100_000);
                let unit = total / quantity;
                let date = self.days_from_now(-90, 0);
                order_t.rows.push(vec![
                    t(self.ids.next("ORD_")),
                    t(&account_id),
                    ot(won.map(|o| o.0.clone())),
                    t(format!("PROD{:03}", m % 40 + 1)),
                    i(quantity),
                    i(unit),
                    i(unit * quantity),
                    t("USD"),
                    Val::Text(None),
                    t(model::OrderStatus::ALL[m % model::OrderStatus::ALL.len()].as_str()),
                    t(&date),
                    t(&owner),
                    i(1),
                    t(&date),
                    t(&date),
                ]);
            }
        }

        for _ in 0..leads {
            let m = self.n_leads;
            self.n_leads += 1;
            let id = self.ids.next("LEAD_");
            let first = FIRST_NAMES[(m * 5 + 1) % FIRST_NAMES.len()];
            let last = LAST_NAMES[(m * 3 + 2) % LAST_NAMES.len()];
            let company = company_name(&mut self.rng, m + 7);
            let (title, _) = *TITLES.choose(&mut self.rng).unwrap_or(&TITLES[0]);
            let created = self.days_from_now(-120, -1);
            let assignee = self.owner();
            lead_t.rows.push(vec![
                t(&id),
                t(first),
                t(last),
                t(&company),
                t(title),
                t(format!("{}.{}@{}", first.to_lowercase(), last.to_lowercase(), domain_of(&company))),
                t(phone(&mut self.rng)),
                t(model::LeadSource::ALL[m % model::LeadSource::ALL.len()].as_str()),
                t(model::LeadStatus::ALL[m % model::LeadStatus::ALL.len()].as_str()),
                t(model::LeadStage::ALL[(m / 2) % model::LeadStage::ALL.len()].as_str()),
                oi(Some(self.rng.random_range(10..1_000) * 100_000)),
                t(format!("Q{} {}", m % 4 + 1, 2027)),
                t(NEEDS[m % NEEDS.len()]),
                t(&assignee),
                i(0),
                i(1),
                t(&created),
                t(&created),
            ]);
        }

        Batch { tables: vec![account_t, contact_t, lead_t, opp_t, history_t, activity_t, task_t, order_t] }
    }
}

fn phone(rng: &mut StdRng) -> String {
    format!("+1-555-{:04}", rng.random_range(100..9999))
}

fn company_name(rng: &mut StdRng, n: usize) -> String {
    let first = COMPANY_WORDS[n % COMPANY_WORDS.len()];
    let second = COMPANY_WORDS[(n / COMPANY_WORDS.len() + 3) % COMPANY_WORDS.len()];
    let suffix = COMPANY_SUFFIXES.choose(rng).unwrap_or(&"Inc");
    if first == second { format!("{first} {suffix}") } else { format!("{first}{} {suffix}", second.to_lowercase()) }
}

fn domain_of(company: &str) -> String {
    let slug: String =
        company.split_whitespace().next().unwrap_or("company").chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("{}.example", slug.to_lowercase())
}

const COMPANY_WORDS: &[&str] = &[
    "Tech", "Logi", "Cargo", "Freight", "North", "Blue", "Summit", "Harbor", "Pioneer", "Atlas", "Vertex", "Green",
    "Iron", "Swift", "Prime", "Metro", "Coastal", "Granite", "Silver", "Bright",
];
const COMPANY_SUFFIXES: &[&str] = &["Solutions", "Logistics", "Inc", "Ltd", "Group", "Supply", "Systems", "Partners"];
const INDUSTRIES: &[&str] = &[
    "Technology",
    "Manufacturing",
    "Retail",
    "Healthcare",
    "Wholesale",
    "Food & Beverage",
    "Construction",
    "Automotive",
];
const CITIES: &[(&str, &str, &str, &str, &str)] = &[
    ("San Francisco", "CA", "USA", "94105", "West Coast"),
    ("Seattle", "WA", "USA", "98101", "West Coast"),
    ("Los Angeles", "CA", "USA", "90012", "West Coast"),
    ("Chicago", "IL", "USA", "60601", "Midwest"),
    ("Detroit", "MI", "USA", "48226", "Midwest"),
    ("New York", "NY", "USA", "10001", "East Coast"),
    ("Boston", "MA", "USA", "02108", "East Coast"),
    ("Atlanta", "GA", "USA", "30303", "South"),
    ("Dallas", "TX", "USA", "75201", "South"),
    ("Denver", "CO", "USA", "80202", "Mountain"),
];
const STREETS: &[&str] =
    &["Tech Street", "Harbor Way", "Industrial Blvd", "Market Street", "Commerce Drive", "Dock Road"];
const FIRST_NAMES: &[&str] = &[
    "John", "Sarah", "Jane", "Mike", "Lisa", "David", "Emma", "Carlos", "Priya", "Wei", "Olivia", "Ahmed", "Sofia",
    "Liam", "Grace", "Noah", "Hannah", "Mateo", "Chloe", "Ethan",
];
const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Doe", "Wilson", "Chen", "Garcia", "Patel", "Kim", "Brown", "Martinez", "Nguyen", "Lopez",
    "Khan", "Müller", "Rossi", "Anderson", "Taylor", "Thomas", "Moore", "Clark",
];
const TITLES: &[(&str, &str)] = &[
    ("CTO", "Engineering"),
    ("VP Sales", "Sales"),
    ("Operations Manager", "Operations"),
    ("Procurement Lead", "Purchasing"),
    ("CFO", "Finance"),
    ("Warehouse Manager", "Logistics"),
    ("CEO", "Executive"),
];
const PRODUCTS: &[&str] = &[
    "Automated conveyor system",
    "AI inventory system",
    "Fleet telematics",
    "Warehouse management system",
    "Cold-chain monitoring",
    "Pallet racking upgrade",
    "Route optimisation suite",
];
const NEEDS: &[&str] = &[
    "Logistics automation solution",
    "Warehouse management system",
    "Faster last-mile delivery",
    "Inventory visibility across sites",
    "Cold storage capacity",
];
const ACTIVITY_TEXTS: &[(&str, &str, &str)] = &[
    ("Initial discovery call", "Positive feedback, moving to proposal stage", "Send proposal by Friday"),
    ("Follow-up email", "Proposal delivered, awaiting response", "Schedule demo call"),
    ("Site visit", "Walked the warehouse floor, measured bays", "Prepare layout drawing"),
    ("Product demo", "Client interested in the pilot", "Share pilot pricing"),
    ("Contract review", "Legal asked for changes to the SLA", "Send revised contract"),
    ("Quarterly review", "Happy with delivery times", "Discuss expansion next quarter"),
];
const TASK_TITLES: &[&str] =
    &["Send proposal", "Schedule product demo", "Confirm delivery window", "Prepare quote", "Call back about pricing"];
