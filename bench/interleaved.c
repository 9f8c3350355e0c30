/* Times commands in turn (A B C A B C …) rather than one after the other, so that
 * a machine whose speed drifts (a shared VM, a laptop's clock) bills the drift to
 * every command alike. Each command is split on spaces and started with
 * posix_spawn, no shell; prints the median and quartiles of each, in ms.
 *
 *   interleaved RUNS 'CMD A' 'CMD B' …
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 3 || atoi(argv[1]) < 1) {
        fprintf(stderr, "usage: interleaved RUNS 'CMD A' ['CMD B' …]\n");
        return 64;
    }
    int runs = atoi(argv[1]), count = argc - 2;
    char **words[count];
    for (int c = 0; c < count; c++) {
        words[c] = calloc(64, sizeof(char *));
        char *copy = strdup(argv[2 + c]), *rest = copy, *word;
        int n = 0;
        while ((word = strtok_r(rest, " ", &rest)) && n < 63) words[c][n++] = word;
    }
    double *times = malloc(sizeof(double) * runs * count);
    for (int r = 0; r < runs; r++) {
        for (int c = 0; c < count; c++) {
            double start = now_ms();
            pid_t pid;
            int status;
            if (posix_spawn(&pid, words[c][0], NULL, NULL, words[c], environ) != 0) {
                fprintf(stderr, "interleaved: cannot start %s\n", words[c][0]);
                return 1;
            }
            waitpid(pid, &status, 0);
            times[c * runs + r] = now_ms() - start;
        }
    }
    double anchor = 0;
    printf("| command | median ms | p25 | p75 | × first (median) |\n|---|---:|---:|---:|---:|\n");
    for (int c = 0; c < count; c++) {
        double *t = times + c * runs;
        qsort(t, runs, sizeof(double), by_value);
        if (c == 0) anchor = t[runs / 2];
        printf("| `%s` | %.3f | %.3f | %.3f | %.3f× |\n", argv[2 + c], t[runs / 2], t[runs / 4], t[3 * runs / 4],
               t[runs / 2] / anchor);
    }
    return 0;
}
