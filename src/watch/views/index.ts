// The six views, by the name the keys select them with.

import type { View } from '../state.js';
import { anomalies } from './anomalies.js';
import { costs } from './costs.js';
import { overview } from './overview.js';
import { resources } from './resources.js';
import { savings } from './savings.js';
import { security } from './security.js';
import type { ViewRenderer } from './view.js';

export const RENDERERS: Record<View, ViewRenderer> = { overview, resources, costs, security, savings, anomalies };
