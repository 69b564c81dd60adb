// Reads a JSON list of rows of the standard on stdin and writes, as JSON, the rows that the
// reference library refuses: [{"index": 3, "id": "…", "error": "…"}].
const { fromSchemaLieuDeMediationNumerique } = require("@gouvfr-anct/lieux-de-mediation-numerique");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const refused = [];
  JSON.parse(input).forEach((row, index) => {
    try {
      fromSchemaLieuDeMediationNumerique(row);
    } catch (error) {
      refused.push({ index, id: row.id, error: `${error.name}: ${error.message}` });
    }
  });
  process.stdout.write(JSON.stringify(refused));
});
