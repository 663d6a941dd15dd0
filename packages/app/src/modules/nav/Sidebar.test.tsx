import { renderTestApp } from '@backstage/frontend-test-utils';
import {
  NotificationsApi,
  notificationsApiRef,
} from '@backstage/plugin-notifications';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import capaPlugin from '@capa-backstage/plugin-capa/alpha';
import { screen, within } from '@testing-library/react';
import { navModule } from '.';

// The sidebar's notifications item needs its plugin's route and an API; nothing here is about
// notifications.
const notificationsApi: Partial<NotificationsApi> = {
  getStatus: async () => ({ unread: 0, read: 0 }),
};


// Rendering a whole app is slow on a busy machine (the suite runs many test files at once).
jest.setTimeout(60_000);

describe('Sidebar', () => {
  it('lists the CAPA fleet page in the menu', async () => {
    renderTestApp({
      features: [navModule, notificationsPlugin, capaPlugin],
      apis: [[notificationsApiRef, notificationsApi]],
    });
    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(
      await within(nav).findByRole('link', { name: 'EKS clusters' }),
    ).toHaveAttribute('href', '/capa');
  });
});
