// The HTML document and the signed-in frame: top bar (instance switcher, sign out) and navigation.
import { raw } from "hono/html";
import type { Child, PropsWithChildren } from "hono/jsx";
import { assetUrl } from "../assets.ts";
import type { Shell } from "../context.ts";
import { CsrfField, FlashMessage } from "./components.tsx";
import { Icon, type IconName, Logo } from "./icons.tsx";

export function Document(
  props: PropsWithChildren<{ title: string; head?: Child; bodyClass?: string; scripts?: string[] }>,
) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" class="no-js">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light" />
          <title>{`${props.title} · Herald`}</title>
          <link rel="icon" href={assetUrl("icon.svg")} type="image/svg+xml" />
          <link rel="stylesheet" href={assetUrl("console.css")} />
          {props.head}
          <script type="module" src={assetUrl("console.js")} />
          {(props.scripts ?? []).map((src) => (
            <script type="module" src={src} />
          ))}
        </head>
        <body class={props.bodyClass}>{props.children}</body>
      </html>
    </>
  );
}

export type Section = "channels" | "keys" | "usage" | "billing" | "teams" | "instances" | "account";

interface NavItem {
  id: Section;
  label: string;
  icon: IconName;
  href: string;
}

function navItems(shell: Shell): NavItem[] {
  const home = shell.home;
  const items: NavItem[] = [];
  if (home) {
    items.push(
      { id: "channels", label: "Teams channels", icon: "channels", href: `/console/i/${home.id}/channels` },
      { id: "keys", label: "Binding keys", icon: "key", href: `/console/i/${home.id}/keys` },
    );
  }
  items.push({ id: "usage", label: "Usage", icon: "chart", href: "/console/usage" });
  if (shell.billing) items.push({ id: "billing", label: "Billing", icon: "card", href: "/console/billing" });
  items.push(
    { id: "teams", label: "Teams app", icon: "teams", href: "/console/teams" },
    { id: "instances", label: "Instances", icon: "layers", href: "/console/instances" },
  );
  return items;
}

function InstanceSwitcher({ shell, section }: { shell: Shell; section: Section }) {
  if (shell.instances.length === 0) return null;
  // Switching keeps you on the same tab of the other instance.
  const to = section === "keys" ? "keys" : shell.path.endsWith("/errors") ? "errors" : "channels";
  return (
    <form class="switcher" method="get" action="/console/switch">
      <label for="instance-switch">Instance</label>
      <select id="instance-switch" name="instance" data-autosubmit="">
        {shell.instances.map((i) => (
          <option value={i.id} selected={i.id === shell.home?.id}>
            {i.name}
          </option>
        ))}
      </select>
      <input type="hidden" name="to" value={to} />
      <button type="submit" class="btn btn-secondary btn-sm no-js-only">
        Go
      </button>
    </form>
  );
}

export function AppShell(
  props: PropsWithChildren<{ shell: Shell; section: Section; title: string; head?: Child }>,
) {
  const { shell, section } = props;
  return (
    <Document title={props.title} head={props.head}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/console">
          <Logo />
          <span>Herald</span>
        </a>
        <InstanceSwitcher shell={shell} section={section} />
        <a
          class="btn btn-ghost btn-sm"
          href="/console/account"
          aria-current={section === "account" ? "page" : undefined}
        >
          Account
        </a>
        <form method="post" action="/console/logout" class="signout">
          <CsrfField token={shell.csrf} />
          <button type="submit" class="btn btn-ghost btn-sm">
            <Icon name="logout" />
            <span>Sign out</span>
          </button>
        </form>
      </header>
      <div class="frame">
        <nav class="sidenav" aria-label="Console">
          <ul>
            {navItems(shell).map((item) => (
              <li>
                <a href={item.href} aria-current={item.id === section ? "page" : undefined}>
                  <Icon name={item.icon} />
                  <span>{item.label}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" tabindex={-1}>
          <FlashMessage flash={shell.flash} />
          {props.children}
        </main>
      </div>
    </Document>
  );
}

/** Pages without a session (sign in, sign up, errors before sign-in): a centred card. */
export function BareShell(props: PropsWithChildren<{ title: string; wide?: boolean }>) {
  return (
    <Document title={props.title} bodyClass="bare">
      <main id="main" class={props.wide ? "bare-main bare-wide" : "bare-main"}>
        <a class="brand brand-large" href="/console">
          <Logo />
          <span>Herald</span>
        </a>
        {props.children}
      </main>
    </Document>
  );
}
