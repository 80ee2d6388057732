import { ruleMarkdown, rulesText } from '../docs.js';
import type { AnyRule } from '../types.js';

export const rulesTable = (rules: readonly AnyRule[]): string => rulesText(rules);
export const explainRule = (rule: AnyRule): string => ruleMarkdown(rule);
