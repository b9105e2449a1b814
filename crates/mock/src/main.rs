//! `dev-platform-mock PROVIDER [--port PORT]`: serves a provider's fake API on
//! 127.0.0.1 until interrupted.

use dev_platform_mock::{MockServer, Provider};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: dev-platform-mock gitcode|qoder|devin [--port PORT]";
    let provider: Provider = match args.next().map(|name| name.parse()) {
        Some(Ok(provider)) => provider,
        Some(Err(error)) => exit(&error),
        None => exit(usage),
    };
    let port = match (args.next().as_deref(), args.next()) {
        (None, _) => 0,
        (Some("--port"), Some(port)) => port.parse().unwrap_or_else(|_| exit(usage)),
        _ => exit(usage),
    };
    let mock = MockServer::start_on(provider, port)
        .await
        .unwrap_or_else(|error| exit(&format!("cannot listen: {error}")));
    println!("serving {} at {}", provider.name(), mock.base_url());
    let _ = tokio::signal::ctrl_c().await;
}

fn exit(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}
