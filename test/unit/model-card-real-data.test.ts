import { describe, expect, it } from 'vitest';
import { withRealDataSection } from '../../src/training/model-card.js';

describe("a model card's real-data section", () => {
  const card = '# churn 1\n\nDemo figures.\n';
  it('is written into the card, and replaces the one it had', () => {
    const once = withRealDataSection(card, '', '| ROC-AUC | 0.85 |');
    expect(once).toBe(
      '# churn 1\n\nDemo figures.\n\n<!-- real-data:start -->\n| ROC-AUC | 0.85 |\n<!-- real-data:end -->\n',
    );
    const twice = withRealDataSection(once, '', '| ROC-AUC | 0.86 |');
    expect(twice).toContain('0.86');
    expect(twice).not.toContain('0.85');
  });

  it('survives retraining: a new card keeps the section of the card it replaces', () => {
    const old = withRealDataSection(card, '', '| ROC-AUC | 0.85 |');
    const retrained = withRealDataSection('# churn 1\n\nNew demo figures.\n', old);
    expect(retrained).toBe(
      '# churn 1\n\nNew demo figures.\n\n<!-- real-data:start -->\n| ROC-AUC | 0.85 |\n<!-- real-data:end -->\n',
    );
    expect(withRealDataSection(card, '')).toBe(card);
  });
});
