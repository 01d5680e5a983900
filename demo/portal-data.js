// Made-up staff for demo/portal.html, generated the same way in every tab (so tabs agree on who
// exists), plus the instrumentation behind the page's "presence traffic" line. Not part of the
// usage: a real portal renders its directory on the server and gets presence from its service.

const FIRST = ['Layla', 'Noah', 'Zoë', 'José', 'Aiyana', 'Dmitri', 'Mei', 'Kwame', 'Ingrid', 'Ravi',
  'Sofía', 'Tomasz', 'Amara', 'Yuki', 'Lars', 'Fatima', 'Oliver', 'Chiara', 'Emeka', 'Hana',
  'Mateo', 'Nadia', 'Pierre', 'Saanvi', 'Björn', 'Leilani', 'Omar', 'Greta', 'Tariq', 'Ana',
  'Jonas', 'Priya', 'Kofi', 'Elif', 'Hugo', 'Mira', 'Sven', 'Aroha', 'Diego', 'Noor'];
const LAST = ['Haddad', 'Okafor', 'Lindqvist', 'García', 'Nakamura', 'Ivanova', 'Chen', 'Mensah',
  'Johansson', 'Sharma', 'Rossi', 'Kowalski', 'Diallo', 'Tanaka', 'Berg', 'Rahman', 'Smith',
  'Bianchi', 'Eze', 'Kim', 'Fernández', 'Petrov', 'Dubois', 'Iyer', 'Nilsson', 'Kahale', 'Aziz',
  'Weber', 'Khan', 'Silva', 'Schmidt', 'Patel', 'Owusu', 'Yılmaz', 'Moreau', 'Cohen', 'Larsen',
  'Ngata', 'Torres', 'Saleh'];

/** Departments; Legal does not let portal visitors subscribe, so its badges fetch once instead. */
const DEPARTMENTS = [
  { name: 'Engineering', roles: ['Software engineer', 'Site reliability engineer', 'QA engineer'], shares: true },
  { name: 'Design', roles: ['Product designer', 'UX researcher'], shares: true },
  { name: 'Sales', roles: ['Account executive', 'Sales engineer'], shares: true },
  { name: 'Customer support', roles: ['Support specialist', 'Support lead'], shares: true },
  { name: 'Finance', roles: ['Accountant', 'Financial analyst'], shares: true },
  { name: 'Legal', roles: ['Counsel', 'Paralegal'], shares: false },
];

const ascii = (s) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();

/**
 * `count` people: `{ user, address, name, role, department, shares, manager }`. The first
 * person of each department heads it and is every other member's manager, so manager badges
 * repeat the same few people many times.
 */
export function staff(count) {
  const people = [];
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i + Math.floor(i / FIRST.length)) % LAST.length];
    const round = Math.floor(i / (FIRST.length * LAST.length)); // names repeat after 1,600 people
    const user = `${ascii(first)}.${ascii(last)}${round ? round + 1 : ''}`;
    const dept = DEPARTMENTS[i % DEPARTMENTS.length];
    const head = i < DEPARTMENTS.length;
    people.push({
      user,
      address: `${user}@in-page.invalid`,
      name: `${first} ${last}`,
      role: head ? `Head of ${dept.name.toLowerCase()}` : dept.roles[i % dept.roles.length],
      department: dept.name,
      shares: dept.shares,
      manager: head ? undefined : people[i % DEPARTMENTS.length],
    });
  }
  return people;
}

const NOTES = ['', '', '', 'In a meeting', 'Lunch', 'Working from home', 'On a call', 'Back at 3',
  'Focus time', 'Travelling', 'At the front desk'];
const WEIGHTS = [['available', 5], ['away', 2], ['busy', 2], ['offline', 1]];

/** A random status to publish, weighted towards available. */
export function randomStatus() {
  let r = Math.random() * 10;
  const [availability] = WEIGHTS.find(([, w]) => (r -= w) < 0) ?? WEIGHTS[0];
  return { availability, note: availability === 'offline' ? '' : NOTES[Math.floor(Math.random() * NOTES.length)] };
}

/**
 * Wraps a transport so the page can show how many presence watches it holds: `sent` counts
 * every command by type (`watch`, `unwatch`, `fetch`, …).
 */
export function countCommands(transport, sent) {
  return {
    self: transport.self,
    protocol: transport.protocol,
    events$: transport.events$,
    connect: (signal) => transport.connect(signal),
    disconnect: () => transport.disconnect(),
    command: (cmd) => {
      sent[cmd.type] = (sent[cmd.type] ?? 0) + 1;
      return transport.command(cmd);
    },
  };
}
