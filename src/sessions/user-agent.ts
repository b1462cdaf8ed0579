import { UAParser } from 'ua-parser-js';

/** A short label for a session, e.g. "Firefox 132 on Linux" or "curl 8.5". */
export function describeUserAgent(userAgent: string): string {
  if (!userAgent) return 'Unknown client';
  const { browser, os } = new UAParser(userAgent).getResult();
  if (!browser.name) return userAgent.slice(0, 80);
  const client = [browser.name, browser.major].filter(Boolean).join(' ');
  return os.name ? `${client} on ${os.name}` : client;
}

function familyOf(userAgent: string): string {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  return browser.name ? [browser.name, os.name, device.type].join('|') : userAgent;
}

/**
 * Refresh tokens are bound to the User-Agent seen at login. "exact" compares the
 * whole string; "family" only the browser, OS and device type, so that a browser
 * update does not end its sessions.
 */
export function userAgentMatches(boundTo: string, presented: string, mode: 'exact' | 'family'): boolean {
  return mode === 'exact' ? boundTo === presented : familyOf(boundTo) === familyOf(presented);
}
