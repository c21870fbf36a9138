export const SOURCE_WORDS = { practice: 'Your practice’s wording', file: 'Default wording', english: 'No wording in this language: English goes' };
