// Runs on any Node version, so it can say clearly why the project will not start on an old one.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `Amtsblatt braucht Node.js 24 oder neuer, gefunden: ${process.versions.node}.\n` +
      'Das Paket "node" aus den devDependencies bringt Node 24 mit: bitte "npm ci" ausführen\n' +
      'und die Befehle über "npm run …" / "npm start" / "npm test" starten.\n',
  );
  process.exit(1);
}
