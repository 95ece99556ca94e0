import { describeType, describeTypes } from './accepted-types';

describe('describeType', () => {
  it.each([
    ['application/octet-stream', 'any file'],
    ['image/*', 'images'],
    ['video/*', 'videos'],
    ['application/pdf', 'PDF'],
    ['text/plain', 'text'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel'],
    ['video/mp4', 'MP4 video'],
    ['image/webp', 'WEBP'],
    ['application/x-custom-thing', 'application/x-custom-thing'],
    ['application/constructor', 'application/constructor'],
    ['constructor', 'constructor'],
  ])('should name %s as %s', (type, name) => {
    expect(describeType(type)).toBe(name);
  });

  it('should never name a type STREAM', () => {
    expect(describeType('application/octet-stream')).not.toMatch(/STREAM/);
  });
});

describe('describeTypes', () => {
  it('should name each kind once, with "any file" last', () => {
    expect(
      describeTypes([
        'application/octet-stream',
        'image/*',
        'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ]),
    ).toBe('images, Word, any file');
  });
});
