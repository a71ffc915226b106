import express, { Router } from 'express';
const app = express();
const r = Router();
r.get('/sessions/:id', (_q, s) => s.end());
r.post('/x', (_q, s) => s.end());
app.use('/api', r, Router().post('/y', (_q, s) => s.end()));
const stack = (app as unknown as { router: { stack: unknown[] } }).router.stack;
console.log(JSON.stringify(stack.map((l: any) => ({ name: l.name, keys: Object.keys(l), path: l.path, slash: l.slash, matchers: String(l.matchers), sub: l.handle?.stack?.map((x: any) => ({ route: x.route?.path, methods: x.route?.methods })) })), null, 1).slice(0, 3000));
