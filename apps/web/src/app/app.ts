import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterOutlet } from '@angular/router';

@Component({
  selector: 'dg-root',
  imports: [RouterOutlet],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <span class="brand"><span class="mark" aria-hidden="true"></span>Dropgate</span>
    </header>
    <router-outlet />
  `,
  styles: `
    .topbar {
      display: flex;
      align-items: center;
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
    .mark {
      width: 22px;
      height: 22px;
      border-radius: 6px;
      background: linear-gradient(135deg, var(--dg-primary), #7c3aed);
    }
  `,
})
export class App {}
