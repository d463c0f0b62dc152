//! `proactive-codegen --schemas DIR --out FILE`: generate Rust types from event schema files.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
Generate Rust types from Alexa Proactive Events JSON Schema files.

Usage: proactive-codegen --schemas DIR --out FILE [--runtime PATH] [--check]

Options:
  --schemas DIR    directory of event schema files (AMAZON.Example.Event.json, ...)
  --out FILE       file to write the generated Rust to (`-` for standard output)
  --runtime PATH   path of the runtime crate in the generated code [default: ::proactive_schemas]
  --check          write nothing: exit 0 when FILE is up to date, 1 (with a summary) when it is
                   not, for generated code committed to a repository
  -h, --help       print this help
  -V, --version    print the version
";

struct Args {
    schemas: PathBuf,
    out: String,
    runtime: Option<String>,
    check: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let (mut schemas, mut out, mut runtime, mut check) = (None, None, None, false);
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
            "--check" => check = true,
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    match (schemas, out) {
        (Some(_), Some(out)) if check && out == "-" => Err(format!("`--check` needs a file, not `{out}`")),
        (Some(schemas), Some(out)) => Ok(Some(Args {
            schemas,
            out,
            runtime,
            check,
        })),
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
    if let Some(rt) = args.runtime.clone() {
        options.runtime = rt;
    }
    if args.check {
        return check(&args, &options);
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

/// `--check`: compares FILE with what the schemas generate, writing nothing.
fn check(args: &Args, options: &proactive_codegen::Options) -> ExitCode {
    let catalogue = match proactive_codegen::load_dir(&args.schemas) {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::from(1);
        }
    };
    let generated = proactive_codegen::generate(&catalogue, options);
    let regenerate = format!(
        "regenerate it with `proactive-codegen --schemas {} --out {}`",
        args.schemas.display(),
        args.out
    );
    let written = match std::fs::read_to_string(&args.out) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: cannot read it ({e}); {regenerate}", args.out);
            return ExitCode::from(1);
        }
    };
    match staleness(&written, &generated) {
        None => {
            eprintln!("{} is up to date ({} event type(s))", args.out, catalogue.events.len());
            ExitCode::SUCCESS
        }
        Some(summary) => {
            eprintln!("{} is out of date: {summary}; {regenerate}", args.out);
            ExitCode::from(1)
        }
    }
}

/// `None` when equal; else where the two texts first differ and how many lines differ.
fn staleness(written: &str, generated: &str) -> Option<String> {
    if written == generated {
        return None;
    }
    let (w, g): (Vec<&str>, Vec<&str>) = (written.lines().collect(), generated.lines().collect());
    let differing = w.iter().zip(&g).filter(|(a, b)| a != b).count() + w.len().abs_diff(g.len());
    let first = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let shown = |line: Option<&&str>| match line {
        Some(l) => format!("`{}`", l.trim()),
        None => "nothing".to_owned(),
    };
    Some(format!(
        "{differing} line(s) differ, the first at line {} (the file has {}, the schemas give {}); \
         the file has {} lines, the schemas give {}",
        first + 1,
        shown(w.get(first)),
        shown(g.get(first)),
        w.len(),
        g.len()
    ))
}
