import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor give up after 1 s by default: too short when the suite runs many test files at
// once on a small machine. Absent elements still fail, only later.
configure({ asyncUtilTimeout: 10_000 });
// Likewise for whole tests (Jest's default is 5 s).
jest.setTimeout(30_000);
