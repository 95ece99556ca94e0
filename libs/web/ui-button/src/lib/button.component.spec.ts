import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ButtonComponent } from './button.component';

@Component({
  imports: [ButtonComponent],
  template: `<button dg-button type="button">Quiet</button
    ><button dg-button variant="primary" type="button">Main</button>`,
})
class HostComponent {}

describe('ButtonComponent', () => {
  it('should keep the native button and mark only the primary one', () => {
    const fixture = TestBed.createComponent(HostComponent);
    fixture.detectChanges();
    const buttons = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('button'));
    expect(buttons.map((b) => [b.textContent, b.classList.contains('primary')])).toEqual([
      ['Quiet', false],
      ['Main', true],
    ]);
  });
});
