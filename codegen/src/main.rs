//! `proactive-codegen --schemas DIR --out FILE`: generate Rust types from event schema files.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
Generate Rust types from Alexa Proactive Events JSON Schema files.

Usage: proactive-codegen --schemas DIR --out FILE [--runtime PATH]

Options:
  --schemas DIR    directory of event schema files (AMAZON.Example.Event.json, ...)
  --out FILE       file to write the generated Rust to (`-` for standard output)
  --runtime PATH   path of the runtime crate in the generated code [default: ::proactive_schemas]
  -h, --help       print this help
  -V, --version    print the version
";

struct Args {
    schemas: PathBuf,
    out: String,
    runtime: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut schemas, mut out, mut runtime) = (None, None, None);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "-V" | "--version" => {
                println!("proactive-codegen {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            "--schemas" => schemas = Some(PathBuf::from(value("--schemas")?)),
            "--out" => out = Some(value("--out")?),
            "--runtime" => runtime = Some(value("--runtime")?),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    match (schemas, out) {
        (Some(schemas), Some(out)) => Ok(Some(Args { schemas, out, runtime })),
        (None, _) => Err("missing `--schemas DIR`".into()),
        (_, None) => Err("missing `--out FILE`".into()),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut options = proactive_codegen::Options::default();
    if let Some(rt) = args.runtime {
        options.runtime = rt;
    }
    let result = if args.out == "-" {
        proactive_codegen::load_dir(&args.schemas).map(|c| print!("{}", proactive_codegen::generate(&c, &options)))
    } else {
        proactive_codegen::generate_file(&args.schemas, &args.out, &options).map(|c| {
            eprintln!("generated {} event type(s) into {}", c.events.len(), args.out);
        })
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::from(1)
        }
    }
}
