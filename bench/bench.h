/* bench/bench.h: side-by-side timing. Contenders run round-robin, one
   sample each per round, so that a noisy machine slows them alike; each
   reports the median of its samples. */
#ifndef BH_BENCH_H
#define BH_BENCH_H

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct bench_contender {
    const char *name;
    void (*run)(void *arg, size_t iters); /* do the work iters times */
    void *arg;
    size_t iters;      /* per sample, calibrated */
    double samples[64];
    double median_ns;  /* per operation */
} bench_contender;

static double bench_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Find an iteration count that takes about target_ns. */
static void bench_calibrate(bench_contender *c, double target_ns)
{
    size_t it = 1;
    for (;;) {
        double t = bench_now();
        c->run(c->arg, it);
        t = bench_now() - t;
        if (t > target_ns / 4 || it > ((size_t)1 << 30)) {
            double per = t / (double)it;
            c->iters = (size_t)(target_ns / (per > 0 ? per : 1)) + 1;
            return;
        }
        it *= 4;
    }
}

/* Run every contender `rounds` times (at most 64), round-robin. */
static void bench_compare(bench_contender *cs, size_t n, int rounds,
                          double sample_ns)
{
    size_t i;
    int r;
    if (rounds > 64) rounds = 64;
    for (i = 0; i < n; i++) bench_calibrate(&cs[i], sample_ns);
    for (r = 0; r < rounds; r++)
        for (i = 0; i < n; i++) {
            double t = bench_now();
            cs[i].run(cs[i].arg, cs[i].iters);
            cs[i].samples[r] = (bench_now() - t) / (double)cs[i].iters;
        }
    for (i = 0; i < n; i++) {
        qsort(cs[i].samples, (size_t)rounds, sizeof(double), bench_cmp);
        cs[i].median_ns = cs[i].samples[rounds / 2];
    }
}

/* Keep a result alive so the compiler cannot drop the work. */
static volatile unsigned bench_sink;

#endif
