// What a Node user would run instead of `proactive send`: Amazon's own client, ask-sdk-model's
// ProactiveEventsServiceClient (with its LwaServiceClient for the token and ask-sdk-core's
// DefaultApiClient for HTTP, wired as in scripts/ask-sdk/check.js), sending every body of an
// NDJSON file to the development stage with CONCURRENCY requests in flight.
//
//   node send.js URL FILE.ndjson CONCURRENCY CLIENT_ID CLIENT_SECRET
//
// URL is the emulator's base URL (both the API and the token endpoint). Prints
// `send.node.loop_wall SECONDS` and `send.node.loop_cpu SECONDS` (the sending loop alone, from
// process.hrtime and process.cpuUsage) and the counts; exits 1 if any request failed.
'use strict';

const fs = require('node:fs');
const { DefaultApiClient } = require('ask-sdk-core');
const { services } = require('ask-sdk-model');

async function main() {
  const [url, file, concurrencyArg, clientId, clientSecret] = process.argv.slice(2);
  if (!clientSecret) {
    console.error('usage: node send.js URL FILE.ndjson CONCURRENCY CLIENT_ID CLIENT_SECRET');
    process.exit(2);
  }
  const concurrency = Number(concurrencyArg);
  const bodies = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  const client = new services.proactiveEvents.ProactiveEventsServiceClient(
    { apiClient: new DefaultApiClient(), apiEndpoint: url, authorizationValue: '' },
    { clientId, clientSecret, authEndpoint: url },
  );

  let next = 0;
  let accepted = 0;
  let failed = 0;
  let firstError = null;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      try {
        await client.createProactiveEvent(body, 'DEVELOPMENT');
        accepted++;
      } catch (e) {
        failed++;
        if (!firstError) firstError = e;
      }
    }
  };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  console.log(`send.node.loop_wall ${wall.toFixed(4)}`);
  console.log(`send.node.loop_cpu ${((used.user + used.system) / 1e6).toFixed(4)}`);
  console.error(`${bodies.length} request(s): ${accepted} accepted, ${failed} failed`);
  if (firstError) console.error(`first failure: ${firstError.message || firstError}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
