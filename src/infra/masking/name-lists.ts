import { faker } from '@faker-js/faker/locale/de';

/**
 * German first and last names from faker's `de` locale (about 1,100 and 1,700) and the older first
 * names below, built into Sets on first use. Only the `de` locale module is imported, not the
 * package's index with every locale (40 ms and 12 MB instead of 310 ms and 28 MB).
 */
interface NameLists {
  first: ReadonlySet<string>;
  last: ReadonlySet<string>;
}

/**
 * Last names that are also nouns of places, nature and things ("Stein", "Berg", "Wolf", "Rose",
 * "Winter", "Mai"): after a first name they are more often a place ("Hermann Hesse Schule" aside).
 * Occupations (Bauer, Fischer, Weber) are the most common surnames and stay. After "Frau"/"Herr"
 * all of them count: there the context says it is a name.
 */
const COMMON_WORD_LAST_NAMES = `Alexa Bach Berg Birke Blume Brunnen Burg Busch Dach Dorn Eck Ecke Engel Ernst Feld Fink Fisch Freund
  Fuchs Garten Hahn Hase Haus Hecht Heide Herbst Hof Holz Horn Hügel Kirche Kranich Krebs Licht Linde Löwe Mai Mann Mond Park Post
  Rabe Rose Sand Schnee Schule Sommer Sonne Stein Stern Storch Sturm Vogel Wald Wiese Winter Wolf Zimmer`.split(/\s+/);
/** First names that are words or Konstanz things: "Konrad" is the town's rental bike, "Kai" a quay. */
const COMMON_WORD_FIRST_NAMES = ['Kai', 'Mark', 'Konrad', 'Rose', 'Ernst', 'Engel'];

/**
 * faker's first names are today's baby names; the people who write to a town are older. The most
 * common German first names of the births 1940–1980 that faker lacks.
 */
const OLDER_FIRST_NAMES = `Achim Alfred Andrea Angelika Anja Annette Barbara Beate Bernd Birgit Brigitte Bruno Bärbel Christa Claudia
  Cornelia Dagmar Detlef Dieter Dirk Doris Eberhard Edith Egon Elisabeth Elke Erich Erika Franz Fritz Gabriele Gerd Gerhard
  Gertrud Gisela Gudrun Gustav Günter Günther Harald Hartmut Heide Heidi Heike Heinz Helga Helmut Heribert Hermann Hildegard
  Holger Horst Hubert Ilse Inge Ingrid Irmgard Joachim Josef Jutta Jörg Jürgen Karin Karl Kerstin Klaus Kurt Lothar Manfred
  Manuela Margarete Marion Markus Martina Matthias Michael Monika Nicole Norbert Petra Rainer Ralf Regina Reinhard Renate Rita
  Rolf Rosemarie Rudolf Sabine Siegfried Silke Simone Stefanie Susanne Sven Tanja Thorsten Torsten Ulrich Ulrike Ursula Ute Uwe
  Volker Walter Waltraud Werner Wilhelm Willi Winfried Wolfgang`.split(/\s+/);

let lists: NameLists | undefined;

export function nameLists(): NameLists {
  if (!lists) {
    const person = faker.rawDefinitions.person;
    const firstNames = person?.first_name;
    const lastNames = person?.last_name;
    const skipFirst = new Set(COMMON_WORD_FIRST_NAMES);
    const skipLast = new Set(COMMON_WORD_LAST_NAMES);
    const first = [...OLDER_FIRST_NAMES, ...(firstNames?.generic ?? []), ...(firstNames?.female ?? []), ...(firstNames?.male ?? [])];
    const last = [...(lastNames?.generic ?? [])];
    lists = {
      first: new Set(first.filter((n) => !skipFirst.has(n))),
      last: new Set(last.filter((n) => !skipLast.has(n))),
    };
  }
  return lists;
}
