// Small questions bench/run.sh asks a running emulator (Node's own fetch, no dependencies):
//
//   node emulator.js token URL CLIENT_ID CLIENT_SECRET    prints a bearer token from URL/auth/o2/token
//   node emulator.js count URL                            prints how many events URL/emulator/events lists
'use strict';

async function main() {
  const [what, url, clientId, clientSecret] = process.argv.slice(2);
  if (what === 'token') {
    const res = await fetch(`${url}/auth/o2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: 'alexa::proactive_events',
      }),
    });
    if (!res.ok) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
    console.log((await res.json()).access_token);
  } else if (what === 'count') {
    const res = await fetch(`${url}/emulator/events`);
    if (!res.ok) throw new Error(`/emulator/events answered ${res.status}`);
    console.log((await res.json()).length);
  } else {
    console.error('usage: node emulator.js token URL CLIENT_ID CLIENT_SECRET | count URL');
    process.exit(2);
  }
}

main().catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
