import { describe, expect, it } from 'vitest';
import { ConfirmPage } from '../src/web/forms/confirm-page.js';
import type { AuthUser } from '../src/app-env.js';

const user = { id: 1, name: 'Ann', role: 'admin', practiceId: 1, practiceName: 'Possil', timezone: 'Europe/London' } as unknown as AuthUser;

describe('the confirmation before anything that cannot simply be undone', () => {
  it('carries every chosen value back with the yes, says what the button does, and offers a way back that changes nothing', () => {
    const html = String(
      ConfirmPage({
        title: 'Erase 3 people?',
        user,
        csrf: 'tok',
        action: '/retention/erase',
        fields: { participantId: ['4', '9', '12'], reason: 'Moved away' },
        button: 'Erase 3 people',
        danger: true,
        back: { href: '/retention', label: 'Keep them' },
        children: 'This cannot be undone.',
      }),
    );
    expect(html).toContain('<h1>Erase 3 people?</h1>');
    expect(html).toMatch(/<form novalidate="" method="post" action="\/retention\/erase">/);
    expect([...html.matchAll(/name="participantId" value="(\d+)"/g)].map((m) => m[1])).toEqual(['4', '9', '12']);
    expect(html).toContain('name="reason" value="Moved away"');
    expect(html).toContain('name="confirmed" value="yes"');
    expect(html).toContain('name="_csrf" value="tok"');
    expect(html).toMatch(/<button type="submit" class="danger">Erase 3 people<\/button>/);
    expect(html).toContain('<a href="/retention">Keep them</a>');
    // What will happen is said before the form.
    expect(html.indexOf('This cannot be undone.')).toBeLessThan(html.indexOf('action="/retention/erase"'));
  });
});
