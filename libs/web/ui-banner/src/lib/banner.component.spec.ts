import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { BannerComponent } from './banner.component';

@Component({
  imports: [BannerComponent],
  template: `<dg-banner>Broken</dg-banner><dg-banner tone="notice">Sign in again</dg-banner>`,
})
class HostComponent {}

describe('BannerComponent', () => {
  it('should be an alert with its tone as a class', () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const banners = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('dg-banner'));
    expect(banners.map((b) => [b.getAttribute('role'), b.className, b.textContent])).toEqual([
      ['alert', 'danger', 'Broken'],
      ['alert', 'notice', 'Sign in again'],
    ]);
  });
});
