// The yardstick for `npm run bench`: a bare Express 5 app with one JSON route and the same
// express.json() parser, started and measured side by side with the plugin server.
const express = require("express");

const app = express();
app.use(express.json());
app.get("/json", (_req, res) => {
  res.json({ todos: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] });
});
app.post("/json", (req, res) => {
  res.status(200).end();
});
const server = app.listen(Number(process.env.PORT ?? 0), () => {
  console.log(`baseline listening on http://localhost:${server.address().port}`);
});
