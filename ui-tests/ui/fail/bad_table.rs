fn main() {
    let _ = proactive_schemas::localized_attributes! {
        "en-US" => { channel: "Example TV", title: "The Example Show" },
        "de-DE" => { channel: "Beispiel TV" },
        "fr-FR" => { channel: "TV", title: "Le Show", subtitle: "x" },
        "en-us" => { channel: "x", title: "y" },
        "de-DE" => { channel: "x", title: "y", tv_channel: "z" },
    };
}
