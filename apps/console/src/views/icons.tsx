// Inline stroke icons (24x24 grid), decorative: every use sits next to a text label or an aria-label.
const PATHS = {
  plus: ["M12 5v14", "M5 12h14"],
  copy: ["M9 9h10v10H9z", "M5 15V5h10"],
  check: ["M5 12.5l4.5 4.5L19 7.5"],
  x: ["M6 6l12 12", "M18 6L6 18"],
  alert: ["M12 3l9.5 17h-19z", "M12 10v4", "M12 17.2v.1"],
  info: ["M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z", "M12 11v6", "M12 7.5v.1"],
  more: ["M5 12h.01", "M12 12h.01", "M19 12h.01"],
  channels: ["M9 4L7 20", "M17 4l-2 16", "M4 9h16", "M3.5 15h16"],
  key: ["M14.5 3.5a6 6 0 1 1-4.2 10.3L4 20v-3h2.5v-2.5H9l1.3-1.3", "M16 8h.01"],
  chart: ["M4 20V4", "M4 20h16", "M8 16v-4", "M12 16V8", "M16 16v-6"],
  card: ["M3 6h18v12H3z", "M3 10h18", "M7 15h4"],
  teams: ["M4 6h10v12H4z", "M7 9h4", "M9 9v6", "M17 8h3v8h-3"],
  log: ["M8 6h12", "M8 12h12", "M8 18h12", "M4 6h.01", "M4 12h.01", "M4 18h.01"],
  logout: ["M15 4h4v16h-4", "M10 8l-4 4l4 4", "M6 12h10"],
  trash: ["M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13"],
  edit: ["M4 20h4L19 9l-4-4L4 16z", "M13 7l4 4"],
  plug: ["M9 3v5", "M15 3v5", "M6 8h12v3a6 6 0 0 1-12 0z", "M12 17v4"],
  power: ["M12 3v9", "M6.3 7a8 8 0 1 0 11.4 0"],
  download: ["M12 4v11", "M7 10l5 5l5-5", "M5 20h14"],
  layers: ["M12 3l9 5l-9 5l-9-5z", "M3 13l9 5l9-5"],
  send: ["M21 3L3 10.5l7 3l3 7z", "M21 3L10 13.5"],
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg
      class="icon"
      viewBox="0 0 24 24"
      width="18"
      height="18"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {PATHS[name].map((d) => (
        <path d={d} />
      ))}
    </svg>
  );
}

/** Herald's mark: an H on the accent colour (the same drawing as the Teams app icons). */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="#4f52b2" />
      <path d="M9 10v12M23 10v12M9 16h14" stroke="#fff" stroke-width="3.2" stroke-linecap="round" />
    </svg>
  );
}
