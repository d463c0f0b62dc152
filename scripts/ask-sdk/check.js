// Amazon's official Node client against `proactive emulator`:
// ask-sdk-model's ProactiveEventsServiceClient (with its LwaServiceClient) obtains a token from
// the emulator and creates an event, which the emulator then lists as accepted.
//
//   cd scripts/ask-sdk && npm install && npm run check
//
// It starts the emulator itself with `cargo run -p proactive-cli -- emulator` from the repository.
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { DefaultApiClient } = require('ask-sdk-core');
const { services } = require('ask-sdk-model');

const CLIENT_ID = 'amzn1.application-oa2-client.ask-sdk-check';
const CLIENT_SECRET = 'ask-sdk-check-secret';

function startEmulator() {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(
    'cargo',
    ['run', '-q', '-p', 'proactive-cli', '--', 'emulator', '--port', '0', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (url) => resolve({ child, url: url.trim() }));
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

async function main() {
  const { child, url } = await startEmulator();
  try {
    console.log(`emulator: ${url}`);
    const client = new services.proactiveEvents.ProactiveEventsServiceClient(
      { apiClient: new DefaultApiClient(), apiEndpoint: url, authorizationValue: '' },
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authEndpoint: url },
    );
    const now = new Date();
    const event = {
      timestamp: now.toISOString(),
      referenceId: `asksdk${now.getTime()}`,
      expiryTime: new Date(now.getTime() + 60 * 60 * 1000).toISOString(),
      event: {
        name: 'AMAZON.WeatherAlert.Activated',
        payload: { weatherAlert: { source: 'localizedattribute:source', alertType: 'SNOW_STORM' } },
      },
      localizedAttributes: [{ locale: 'en-US', source: 'Example Weather Corp' }],
      relevantAudience: { type: 'Multicast', payload: {} },
    };
    await client.createProactiveEvent(event, 'DEVELOPMENT');
    const accepted = await (await fetch(`${url}/emulator/events`)).json();
    const mine = accepted.find((a) => a.referenceId === event.referenceId);
    if (!mine) throw new Error('the emulator did not record the event');
    console.log(`accepted by the emulator: ${mine.event} -> ${mine.recipients.join(', ')}`);
    console.log(`Alexa (en-US): ${mine.previews['en-US']}`);
  } finally {
    child.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
