// `npm start`: the compiled server, rebuilt first if a source changed since the last build (a pull, an edit,
// an install that skipped `prepare`). One process: npm runs this file, and it imports the server.
import { pathToFileURL } from 'node:url'
import { SERVER, buildServer, serverIsStale } from './build-server.mjs'

if (serverIsStale()) await buildServer()
await import(pathToFileURL(SERVER).href)
