//! The `lanes` command: loads `.env`, sets up logging and hands over to the CLI.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A missing .env is normal; a broken one is worth a word.
    if let Err(e) = dotenvy::dotenv()
        && !e.not_found()
    {
        eprintln!("lanes: ignoring .env: {e}");
    }
    lanes::telemetry::init();
    match lanes::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("lanes: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
