import { identity, order, peers, volumes } from "./basics";
import { access, failures, nodeFailure, rollingUpdate } from "./advanced";
import { readiness } from "./readiness";
import type { Lesson } from "./types";

/** The chapter's lessons, in the book's order (Kubernetes in Action, ch. 10, and the seed's notes). */
export const LESSONS: Lesson[] = [identity, order, volumes, peers, access, nodeFailure, failures, rollingUpdate, readiness];

export type { Lesson, LessonStep, LessonAction } from "./types";
