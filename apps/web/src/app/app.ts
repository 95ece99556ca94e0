import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { ButtonComponent } from '@dropgate/web/ui-button';

@Component({
  selector: 'dg-root',
  imports: [RouterOutlet, ButtonComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <span class="brand"><span class="mark" aria-hidden="true"></span>Dropgate</span>
      @if (session.signedIn() || session.ended()) {
        <span class="account">
          <span class="name" data-testid="user-name">{{ session.name() }}</span>
          <button dg-button type="button" (click)="session.signOut()">Sign out</button>
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
}
