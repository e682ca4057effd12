const http = require('http'); const { Pool } = require('pg');
const pool = new Pool({ connectionString: process.env.DB, max: 8 });
const SQL = `SELECT id, async_operation_number, status, job_type, submitted_at, total_job_items FROM tracker.async_operation
  WHERE owner_id = $1 AND status = $2 AND job_type = $3 ORDER BY submitted_at DESC, async_operation_number LIMIT 100`;
const srv = http.createServer(async (req, res) => {
  const r = await pool.query({ text: SQL, values: ['bench-client', 'InProgress', 'PlaceQuote'], rowMode: 'array' });
  let s = '{"totalSize":' + r.rows.length + ',"done":true,"records":[';
  for (let i = 0; i < r.rows.length; i++) { const row = r.rows[i]; const id = 'a0X' + String(row[1]).padStart(12, '0') + 'AAA';
    s += (i ? ',' : '') + '{"attributes":{"type":"AsyncOperationTracker","url":"/services/data/v60.0/sobjects/AsyncOperationTracker/' + id + '"},"Id":"' + id + '","AsyncOperationNumber":' + JSON.stringify(String(row[1])) + ',"Status":' + JSON.stringify(row[2]) + ',"JobType":' + JSON.stringify(row[3]) + ',"SubmittedAt":"' + row[4].toISOString().replace('Z', '+0000') + '","TotalJobItems":' + row[5] + '}'; }
  s += ']}';
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) }); res.end(s);
});
srv.listen(+process.env.PORT, '127.0.0.1', () => process.stdout.write('ready\n'));
