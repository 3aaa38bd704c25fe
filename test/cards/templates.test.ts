import assert from 'node:assert/strict';
import { cardTemplateNames, renderCard } from '../../bot/cards/render.js';
import { cardProblems } from '../helpers/card-check.js';
import { loadCardSamples } from '../helpers/card-samples.js';

const CARD_SAMPLES = loadCardSamples();

describe('card templates', () => {
  it('has sample data for every template', () => {
    assert.deepEqual(
      cardTemplateNames().filter((name) => !(name in CARD_SAMPLES)),
      [],
    );
  });

  for (const [name, samples] of Object.entries(CARD_SAMPLES)) {
    samples.forEach((data, index) => {
      it(`${name} (sample ${index + 1}) binds to a valid 1.5 card within the Teams size limit`, () => {
        const card = renderCard(name, data, `fallback for ${name}`);
        assert.deepEqual(cardProblems(card), []);
        assert.equal(card.fallbackText, `fallback for ${name}`);
      });
    });
  }

  it('refuses template names that could escape cards/', () => {
    assert.throws(() => renderCard('../package', {}, 'x'), /No card template/);
  });
});
