//! The `lanes` command line.

use std::net::SocketAddr;

use anyhow::Context;
use app::{
    model::{RegisterRequest, Role},
    server::{config::Settings, db::Db, users},
};
use clap::{Args, Parser, Subcommand};

use crate::{seed, startup};

#[derive(Debug, Parser)]
#[command(name = "lanes", version, about = "Lanes: logistics + CRM in one server")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the REST API and the browser app.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LANES_BIND", default_value = "127.0.0.1:8000")]
        bind: SocketAddr,
        /// Fill an empty database with a realistic demo data set (and the demo admin).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Generate a large synthetic data set (what the benchmarks load).
    Seed(seed::SeedArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user.
    Create(CreateUser),
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    pub email: String,
    /// At least 10 characters. Prefer the environment variable: arguments show up in `ps`.
    #[arg(long, env = "LANES_USER_PASSWORD", hide_env_values = true)]
    pub password: String,
    #[arg(long, default_value = "user", value_parser = parse_role)]
    pub role: Role,
    #[arg(long)]
    pub username: Option<String>,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
}

pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command {
        Command::Serve { bind, demo } => serve(settings, bind, demo).await,
        Command::Migrate => {
            let db = connect(&settings).await?;
            db.migrate().await.context("migrations failed")?;
            println!("migrations applied");
            Ok(())
        }
        Command::User { command: UserCommand::Create(args) } => {
            let db = connect(&settings).await?;
            db.migrate().await.context("migrations failed")?;
            let user = users::create(
                &db,
                RegisterRequest {
                    username: args.username,
                    email: args.email,
                    password: args.password,
                    role: args.role,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.detail))?;
            println!("created {} ({}, {})", user.email, user.user_id, user.role);
            Ok(())
        }
        Command::Seed(args) => {
            let db = Db::connect_for_bulk_load(settings.database_url.expose())
                .await
                .context("could not connect to the database (DATABASE_URL)")?;
            db.migrate().await.context("migrations failed")?;
            seed::run(&db, &args).await
        }
    }
}

async fn connect(settings: &Settings) -> anyhow::Result<Db> {
    Db::connect(settings.database_url.expose()).await.context("could not connect to the database (DATABASE_URL)")
}

async fn serve(settings: Settings, bind: SocketAddr, demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let state = startup::build_state(settings, startup::leptos_options(bind)).await?;
    if demo {
        seed::demo(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("could not listen on {bind}"))?;
    tracing::info!(
        address = %format!("http://{bind}"),
        engine = ?state.db.engine(),
        startup_ms = started.elapsed().as_millis() as u64,
        "Lanes is serving"
    );
    if let Some(metrics_bind) = state.settings.metrics_bind {
        crate::metrics::spawn_listener(metrics_bind, state.clone()).await?;
    }
    let db = state.db.clone();
    startup::spawn_workers(&state);
    startup::serve(listener, startup::router(state), startup::shutdown_signal()).await?;
    db.close().await;
    Ok(())
}
