import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';

@Component({
  selector: 'dg-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <span class="brand"
        ><span class="mark" aria-hidden="true"></span><span class="brand-name">Dropgate</span></span
      >
      @if (session.signedIn() || session.ended()) {
        <nav class="nav" aria-label="Main">
          <a routerLink="/" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">Upload</a>
          <a routerLink="/uploads" routerLinkActive="active">My uploads</a>
          @if (isWebhooksAdmin()) {
            <a routerLink="/webhooks" routerLinkActive="active">Webhooks</a>
          }
        </nav>
        <span class="account">
          <span class="name" data-testid="user-name">{{ session.name() }}</span>
          <button dg-button type="button" [disabled]="session.signingOut()" (click)="session.signOut()">
            Sign out
          </button>
        </span>
      }
    </header>
    <router-outlet />
  `,
  styles: `
    .topbar {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 12px;
      height: 56px;
      padding: 0 24px;
      background: var(--dg-surface);
      border-bottom: 1px solid var(--dg-border);
    }
    .brand {
      display: inline-flex;
      gap: 10px;
      align-items: center;
      font-weight: 650;
      letter-spacing: -0.01em;
    }
    .nav {
      display: flex;
      gap: 16px;
      margin-right: auto;
      margin-left: 24px;
      white-space: nowrap;
    }
    @media (max-width: 520px) {
      .topbar {
        padding: 0 12px;
        gap: 8px;
      }
      /* An admin's third link (Webhooks) must fit beside Sign out on a phone; narrower still, it scrolls. */
      .nav {
        margin-left: 0;
        gap: 8px;
        font-size: 0.8125rem;
        min-width: 0;
        overflow-x: auto;
      }
      .name,
      .brand-name {
        display: none;
      }
    }
    .nav a {
      color: var(--dg-muted);
      text-decoration: none;
      font-weight: 600;
    }
    .nav a.active {
      color: var(--dg-text);
    }
    .account {
      display: inline-flex;
      gap: 12px;
      align-items: center;
      min-width: 0;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      color: var(--dg-muted);
    }
    .mark {
      width: 22px;
      height: 22px;
      border-radius: 6px;
      background: linear-gradient(135deg, var(--dg-primary), #7c3aed);
    }
  `,
})
export class App {
  protected readonly session = inject(AuthSession);
  protected readonly isWebhooksAdmin = computed(() => this.session.scopes().includes('webhooks:admin'));
}
