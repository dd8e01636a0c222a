/**
 * Source photos for the demo catalog, drawn as SVG and rendered by sharp, so the demo needs no
 * network and ships no binary files. Each category gets one illustration in its own colours;
 * the real upload path (shared/images/pipeline.ts) then processes it like any photo.
 */
const W = 1600;
const H = 1200;

interface Palette {
  sky: [string, string];
  accent: string;
  accent2: string;
}

function frame(p: Palette, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">
<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${p.sky[0]}"/><stop offset="1" stop-color="${p.sky[1]}"/></linearGradient>
<radialGradient id="glow" cx="0.5" cy="0.45" r="0.6"><stop offset="0" stop-color="#fff" stop-opacity="0.55"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
<rect width="${W}" height="${H}" fill="url(#bg)"/>
<path d="M0 ${H * 0.72} C ${W * 0.25} ${H * 0.62}, ${W * 0.55} ${H * 0.8}, ${W} ${H * 0.66} L ${W} ${H} L 0 ${H} Z" fill="${p.accent2}" opacity="0.55"/>
<path d="M0 ${H * 0.82} C ${W * 0.3} ${H * 0.74}, ${W * 0.7} ${H * 0.9}, ${W} ${H * 0.78} L ${W} ${H} L 0 ${H} Z" fill="${p.accent2}" opacity="0.8"/>
<rect width="${W}" height="${H}" fill="url(#glow)"/>
${body}</svg>`;
}

function leaf(x: number, y: number, size: number, angle: number, color: string): string {
  return `<g transform="translate(${x} ${y}) rotate(${angle})"><path d="M0 0 C ${size * 0.45} ${-size * 0.35}, ${size * 0.9} ${-size * 0.2}, ${size} 0 C ${size * 0.9} ${size * 0.2}, ${size * 0.45} ${size * 0.35}, 0 0 Z" fill="${color}"/><path d="M0 0 L ${size * 0.95} 0" stroke="#fff" stroke-opacity="0.35" stroke-width="${size * 0.025}"/></g>`;
}

function teaBowl(leafColor: string, liquor: string): string {
  const leaves = Array.from({ length: 14 }, (_, i) => {
    const a = (i / 14) * 360;
    return leaf(
      800 + Math.cos((a * Math.PI) / 180) * 70,
      700 + Math.sin((a * Math.PI) / 180) * 25,
      190 + (i % 3) * 40,
      a - 90,
      leafColor,
    );
  }).join('');
  return `${leaves}<ellipse cx="800" cy="820" rx="330" ry="70" fill="#f4efe3"/><path d="M470 820 Q 800 1120 1130 820 Z" fill="#f4efe3"/><ellipse cx="800" cy="822" rx="300" ry="56" fill="${liquor}"/>`;
}

const art: Record<string, () => string> = {
  tea: () =>
    frame(
      { sky: ['#d9ead3', '#9cc58f'], accent: '#2f6b3a', accent2: '#3f7d44' },
      teaBowl('#2f6b3a', '#b9c96a'),
    ),
  premium: () =>
    frame(
      { sky: ['#efe6c8', '#c7b27a'], accent: '#3b5d2a', accent2: '#6b7f3a' },
      teaBowl('#415f2b', '#d9c770'),
    ),
  bag: () =>
    frame(
      { sky: ['#e3f0e0', '#b5d6ab'], accent: '#2f6b3a', accent2: '#5b8f4e' },
      `<rect x="560" y="360" width="480" height="520" rx="40" fill="#fbfaf3"/><rect x="560" y="360" width="480" height="110" rx="40" fill="#2f6b3a"/><path d="M800 470 L 800 250" stroke="#8a6b3a" stroke-width="8"/><rect x="740" y="180" width="120" height="90" rx="10" fill="#c84b31"/>${leaf(660, 650, 280, -20, '#3f7d44')}`,
    ),
  honey: () =>
    frame(
      { sky: ['#fff1c9', '#f2c35a'], accent: '#b36b00', accent2: '#d9911a' },
      `<rect x="560" y="380" width="480" height="560" rx="80" fill="#e0a21b" opacity="0.95"/><rect x="600" y="300" width="400" height="110" rx="20" fill="#7a4a12"/><rect x="620" y="560" width="360" height="200" rx="20" fill="#fff6dc"/><path d="M700 660 l40 -24 40 24 0 46 -40 24 -40 -24z M790 660 l40 -24 40 24 0 46 -40 24 -40 -24z" fill="#e0a21b"/>`,
    ),
  bamboo: () =>
    frame(
      { sky: ['#f3ead6', '#d7c49a'], accent: '#8a6b3a', accent2: '#a8895a' },
      Array.from(
        { length: 7 },
        (_, i) =>
          `<path d="M${520 + i * 90} 950 Q ${560 + i * 90} 600 ${600 + i * 80} ${330 + (i % 3) * 40}" stroke="#b58a4c" stroke-width="46" stroke-linecap="round" fill="none"/>`,
      ).join(''),
    ),
  mushroom: () =>
    frame(
      { sky: ['#efe7dd', '#c9b8a3'], accent: '#6b4a2e', accent2: '#8c6b4a' },
      [
        [620, 620, 170],
        [880, 560, 210],
        [1060, 700, 140],
      ]
        .map(
          ([x, y, r]) =>
            `<rect x="${x! - r! * 0.22}" y="${y}" width="${r! * 0.44}" height="${r! * 1.5}" rx="20" fill="#f3ead9"/><path d="M${x! - r!} ${y! + 10} Q ${x} ${y! - r! * 1.3} ${x! + r!} ${y! + 10} Z" fill="#6b4a2e"/>`,
        )
        .join(''),
    ),
  noodle: () =>
    frame(
      { sky: ['#f6f1e7', '#ddd2bd'], accent: '#a0896a', accent2: '#c2ad8a' },
      `<ellipse cx="800" cy="760" rx="380" ry="90" fill="#8b5a2b"/>${Array.from({ length: 18 }, (_, i) => `<path d="M${470 + i * 36} 740 q 30 -${120 + (i % 4) * 30} 60 0" stroke="#fbf6ea" stroke-width="10" fill="none"/>`).join('')}`,
    ),
  fruit: () =>
    frame(
      { sky: ['#e9f3dc', '#b9d494'], accent: '#5d8a2e', accent2: '#7aa447' },
      [
        [640, 640, 170],
        [930, 620, 190],
      ]
        .map(
          ([x, y, r]) =>
            `<circle cx="${x}" cy="${y}" r="${r}" fill="#9bc06a"/>${Array.from({ length: 9 }, (_, i) => `<circle cx="${x! + Math.cos(i) * r! * 0.55}" cy="${y! + Math.sin(i * 1.7) * r! * 0.55}" r="${r! * 0.18}" fill="#86ad55" stroke="#6f9441" stroke-width="4"/>`).join('')}`,
        )
        .join(''),
    ),
};

/** Which illustration a category uses. */
export const CATEGORY_ART: Record<string, keyof typeof art> = {
  'che-dinh': 'premium',
  'che-tom-non': 'premium',
  'che-non': 'tea',
  'che-moc-cau': 'tea',
  'che-bup': 'tea',
  'tra-tui-loc': 'bag',
  'tra-gaba': 'premium',
  'mat-ong': 'honey',
  'mang-kho': 'bamboo',
  nam: 'mushroom',
  'mien-gao': 'noodle',
  'trai-cay': 'fruit',
};

export function demoArtworkSvg(name: keyof typeof art): Buffer {
  return Buffer.from(art[name]!());
}

export const DEMO_ARTWORKS = Object.keys(art) as (keyof typeof art)[];
