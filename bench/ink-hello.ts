// The reference point for start-up: the smallest Ink program, bundled the way scripts/build.js
// bundles cl-exports (bench/run.js does that). Its first frame is as early as an Ink UI can draw.
import React from 'react';
import {render, Text} from 'ink';

render(React.createElement(Text, null, 'hello from ink'));
