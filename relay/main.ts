// Entry of the relay process: reads settings, starts the server, handles signals.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
}).listen(port, host, () => console.log(`relay listening on http://${host}:${port}`));
