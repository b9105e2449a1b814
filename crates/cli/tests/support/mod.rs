//! Servers on 127.0.0.1 for the binary's tests: a GitCode organization's
//! members by page (counting the requests), a Qoder export streamed slowly or
//! stalling.
// Each test file uses a part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The header of Qoder's commit export.
pub const COMMITS_CSV_HEAD: &str = "commitHash,userId,userEmail,userName,repoName,branchName,isPrimaryBranch,totalLinesAdded,totalLinesDeleted,ideNextLinesAdded,ideNextLinesDeleted,pluginNextLinesAdded,pluginNextLinesDeleted,ideAgentLinesAdded,ideAgentLinesDeleted,pluginAgentLinesAdded,pluginAgentLinesDeleted,cliAgentLinesAdded,cliAgentLinesDeleted,ideQuestLinesAdded,ideQuestLinesDeleted,ideInlineChatLinesAdded,ideInlineChatLinesDeleted,jbInlineChatLinesAdded,jbInlineChatLinesDeleted,nonAiLinesAdded,nonAiLinesDeleted,message,commitTs,createdAt\n";

/// A server answering each connection, one after the other, with
/// `answer(request head, connection)`. Returns its base URL; its thread ends
/// with the test process.
pub fn serve(answer: impl Fn(&str, &mut TcpStream) + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            answer(&String::from_utf8_lossy(&head), &mut stream);
        }
    });
    base_url
}

/// Starts a chunked `text/csv` answer.
pub fn start_csv(stream: &mut TcpStream) {
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
    );
}

/// Sends one chunk of a chunked answer (`""`: the last).
pub fn send_chunk(stream: &mut TcpStream, text: &str) {
    let _ = write!(stream, "{:x}\r\n{text}\r\n", text.len());
    let _ = stream.flush();
}

/// A GitCode server whose organizations have members by page.
pub struct Members {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    requests: Arc<AtomicU64>,
}

impl Members {
    /// Serves `pages` full pages of members (`per_page` as asked), then an
    /// empty one, waiting `delay` before each answer.
    pub fn start(pages: u64, delay: Duration) -> Self {
        let requests = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&requests);
        let base_url = serve(move |head, stream| {
            counted.fetch_add(1, Ordering::SeqCst);
            let number = |name: &str| {
                head.split(['?', '&', ' '])
                    .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
                    .and_then(|value| value.parse::<u64>().ok())
            };
            let page = number("page").unwrap_or(1);
            let size = number("per_page").unwrap_or(20);
            let members: Vec<String> = if page <= pages {
                ((page - 1) * size..page * size)
                    .map(|n| format!(r#"{{"id":"{n}","login":"user{n}","name":"用户{n}","member_role":"member","type":"User"}}"#))
                    .collect()
            } else {
                Vec::new()
            };
            let body = format!("[{}]", members.join(","));
            std::thread::sleep(delay);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        });
        Self { base_url, requests }
    }

    /// How many requests arrived so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A Qoder server whose commit export streams `chunks` chunks of `rows` rows
/// each (every row with a line break inside its quoted message), `delay`
/// apart. Returns its base URL.
pub fn slow_export(chunks: u64, rows: u64, delay: Duration) -> String {
    serve(move |_, stream| {
        start_csv(stream);
        send_chunk(stream, COMMITS_CSV_HEAD);
        for chunk in 0..chunks {
            std::thread::sleep(delay);
            let text: String = (0..rows)
                .map(|row| {
                    let n = chunk * rows + row;
                    format!("c{n},u,u@example.com,张三,repo,main,true,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,\"fix\nbug\",1748736000000,1748736000000\n")
                })
                .collect();
            send_chunk(stream, &text);
        }
        send_chunk(stream, "");
    })
}
