// Strength <-> f-number (web/lib/aperture.js): strength 100 is an 85 mm f/1.4, strength = 140 / N.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apertureForStrength, formatAperture, parseAperture, strengthForAperture, strengthPresets } from '../../web/lib/aperture.js';

test('strength and f-number are inverse: 100 = f/1.4, 50 = f/2.8, 25 = f/5.6', () => {
  assert.equal(formatAperture(apertureForStrength(100)), 'f/1.4');
  assert.equal(formatAperture(apertureForStrength(50)), 'f/2.8');
  assert.equal(formatAperture(apertureForStrength(25)), 'f/5.6');
  assert.equal(formatAperture(apertureForStrength(13)), 'f/11');
  for (const s of [1, 7, 33, 100]) assert.ok(Math.abs(strengthForAperture(apertureForStrength(s)) - s) < 1e-9, `strength ${s}`);
  assert.equal(strengthForAperture(1.2), 100, 'faster than f/1.4 is clamped to 100');
  assert.equal(strengthForAperture(500), 1, 'slower than f/140 is clamped to 1');
});

test('presets keep their order and the natural range holds Medium', () => {
  const { subtle, medium, strong, maximum } = strengthPresets;
  assert.ok(subtle < medium && medium < strong && strong < maximum && maximum === 100);
  assert.ok(medium >= 15 && medium <= 35, 'Medium sits in the natural 15-35');
});

test('parseAperture reads f/2, F2.8 and 4; refuses the rest with a reason', () => {
  assert.equal(parseAperture('f/2'), 2);
  assert.equal(parseAperture('F2.8'), 2.8);
  assert.equal(parseAperture(' 4 '), 4);
  for (const bad of ['', 'f/', 'wide', 'f/0', '-2', 'f/2.8.1', '1e3']) {
    assert.throws(() => parseAperture(bad), /not an f-number/, bad);
  }
});
