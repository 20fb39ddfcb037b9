import { Layout, type PageContext } from '../../../ui/layout.tsx';

export function PrivacyPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Datenschutz">
      <h1 class="kern-heading-large">Datenschutz bei Ihren Meldungen</h1>
      <p class="kern-body">
        Wir verarbeiten Ihre Angaben nur, um Ihr Anliegen zu bearbeiten (Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem
        Landesdatenschutzgesetz). Verantwortlich ist die Stadt {ctx.townName}.
      </p>
      <h2 class="kern-heading-medium">Was wir speichern</h2>
      <ul class="kern-list kern-list--bullet">
        <li>Ihre Beschreibung, den Ort und die Art des Anliegens.</li>
        <li>Fotos – ohne Metadaten: Kameramodell, Aufnahmezeit und GPS-Position entfernen wir vor dem Speichern.</li>
        <li>
          Name und E-Mail-Adresse nur, wenn Sie sie angeben. Die E-Mail-Adresse nutzen wir ausschließlich für Antworten zu Ihrem Anliegen.
        </li>
        <li>
          Folgen Sie einer Meldung, die schon jemand gemacht hat, geht Ihre Beschreibung mit Ihren Fotos an das zuständige Team – nicht an
          die Person, die zuerst gemeldet hat. Folgen Sie nicht mehr, löschen wir beides zusammen mit Ihrer Adresse.
        </li>
        <li>Fotos einer Meldung, die Sie nicht abgeschickt haben, löschen wir nach einem Tag.</li>
      </ul>
      <h2 class="kern-heading-medium">Wer es sieht</h2>
      <p class="kern-body">
        Ihre persönlichen Angaben sehen nur die Mitarbeitenden, die Ihr Anliegen bearbeiten. Öffentlich wird nie etwas Persönliches gezeigt.
        Den Stand Ihres Anliegens sehen Sie über Ihren persönlichen Link; wer den Link kennt, kann den Stand und die Antworten lesen – geben
        Sie ihn also nur weiter, wenn Sie das möchten.
      </p>
      <h2 class="kern-heading-medium">Ihre Rechte</h2>
      <p class="kern-body">
        Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der Verarbeitung sowie das Recht auf Beschwerde bei der
        Aufsichtsbehörde. Schreiben Sie uns dazu einfach über das Meldeformular oder an die Datenschutzbeauftragte der Stadt.
      </p>
    </Layout>
  );
}

export function AccessibilityPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Barrierefreiheit">
      <h1 class="kern-heading-large">Erklärung zur Barrierefreiheit</h1>
      <p class="kern-body">
        Die Stadt {ctx.townName} möchte diese Website für alle zugänglich machen. Grundlage sind die BITV 2.0 und die WCAG 2.1 auf Stufe AA.
        Jede öffentliche Seite wird bei jeder Änderung automatisch geprüft, und alle Formulare funktionieren auch ohne JavaScript.
      </p>
      <h2 class="kern-heading-medium">Barriere gefunden?</h2>
      <p class="kern-body">
        Sagen Sie es uns über das{' '}
        <a class="kern-link" href="/melden">
          Meldeformular
        </a>
        . Wir antworten innerhalb von zwei Wochen.
      </p>
    </Layout>
  );
}

export function ImprintPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Impressum">
      <h1 class="kern-heading-large">Impressum</h1>
      <p class="kern-body">
        Stadt {ctx.townName}, vertreten durch die Oberbürgermeisterin. Dies ist eine Demonstrationsinstanz von Amtsblatt 2.0; die Angaben
        des echten Impressums trägt die Verwaltung in der Konfiguration ein.
      </p>
    </Layout>
  );
}
