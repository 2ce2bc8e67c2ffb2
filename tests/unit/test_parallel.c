/* Parts of one piece of work shared with helper threads. */
#include "test.h"

#include "haulpass/parallel.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define PARTS 1000

struct counted {
    atomic_int runs[PARTS];
    pthread_t thread[PARTS];
    int order[PARTS];
    atomic_int next_order;
};

/* Counts a part when it ends; every 97th takes a little longer first, so
 * a caller that returned before a helper's part ended would see it
 * uncounted. */
static void count_part(void *ctx, int part)
{
    struct counted *c = ctx;
    c->thread[part] = pthread_self();
    c->order[atomic_fetch_add(&c->next_order, 1)] = part;
    if (part % 97 == 1)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    atomic_fetch_add(&c->runs[part], 1);
}

static bool each_ran_once(struct counted *c, int n)
{
    for (int i = 0; i < n; i++)
        if (atomic_load(&c->runs[i]) != 1)
            return false;
    return true;
}

TEST(without_helpers_every_part_runs_on_the_caller_in_order)
{
    static struct counted c;
    hp_parallel_for(PARTS, count_part, &c);
    CHECK(each_ran_once(&c, PARTS));
    bool mine = true, in_order = true;
    for (int i = 0; i < PARTS; i++) {
        mine &= pthread_equal(c.thread[i], pthread_self()) != 0;
        in_order &= c.order[i] == i;
    }
    CHECK(mine);
    CHECK(in_order);
}

/* Two parts that each wait until the other has begun: they finish only
 * when they run at the same time, on two threads. */
struct meeting {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int arrived;
    bool timed_out;
};

static void meet(void *ctx, int part)
{
    (void)part;
    struct meeting *m = ctx;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20; /* a failure, not a hang, if no helper ever comes */
    pthread_mutex_lock(&m->lock);
    m->arrived++;
    pthread_cond_broadcast(&m->cond);
    while (m->arrived < 2 && !m->timed_out)
        if (pthread_cond_timedwait(&m->cond, &m->lock, &until) == ETIMEDOUT)
            m->timed_out = true;
    pthread_mutex_unlock(&m->lock);
}

TEST(with_helpers_parts_run_at_the_same_time_and_each_exactly_once)
{
    REQUIRE(hp_parallel_start(3));
    struct meeting m = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};
    hp_parallel_for(2, meet, &m);
    CHECK(!m.timed_out);
    CHECK_INT(m.arrived, 2);
    static struct counted c[50];
    bool once = true;
    for (int round = 0; round < 50; round++) {
        hp_parallel_for(PARTS, count_part, &c[round]);
        /* Every part has returned by now, not merely been claimed. */
        once &= each_ran_once(&c[round], PARTS);
    }
    CHECK(once);
    hp_parallel_stop();
}

struct caller {
    struct counted c[20];
    bool once;
};

static void *call_repeatedly(void *arg)
{
    struct caller *k = arg;
    k->once = true;
    for (int round = 0; round < 20; round++) {
        hp_parallel_for(PARTS, count_part, &k->c[round]);
        k->once &= each_ran_once(&k->c[round], PARTS);
    }
    return NULL;
}

TEST(callers_at_the_same_time_each_get_all_their_parts)
{
    REQUIRE(hp_parallel_start(2));
    static struct caller k[3];
    pthread_t t[3];
    for (int i = 0; i < 3; i++)
        REQUIRE(pthread_create(&t[i], NULL, call_repeatedly, &k[i]) == 0);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 3; i++)
        CHECK(k[i].once);
    hp_parallel_stop();
    /* Stopped: back to the caller alone. */
    static struct counted after;
    hp_parallel_for(10, count_part, &after);
    CHECK(each_ran_once(&after, 10));
    CHECK(pthread_equal(after.thread[9], pthread_self()) != 0);
}

TEST(a_second_start_is_refused_and_a_stopped_pool_starts_again)
{
    REQUIRE(hp_parallel_start(1));
    CHECK(!hp_parallel_start(1));
    int helpers;
    long long by_caller, by_helpers;
    hp_parallel_counts(&helpers, &by_caller, &by_helpers);
    CHECK_INT(helpers, 1);
    hp_parallel_stop();
    hp_parallel_counts(&helpers, &by_caller, &by_helpers);
    CHECK_INT(helpers, 0);
    REQUIRE(hp_parallel_start(2));
    struct meeting m = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};
    hp_parallel_for(2, meet, &m);
    CHECK(!m.timed_out);
    long long helped = by_helpers;
    hp_parallel_counts(&helpers, &by_caller, &by_helpers);
    CHECK_INT(helpers, 2);
    CHECK(by_helpers >= helped + 1); /* one of the two met parts */
    hp_parallel_stop();
}

TEST(no_parts_run_nothing)
{
    static struct counted c;
    hp_parallel_for(0, count_part, &c);
    CHECK_INT(atomic_load(&c.next_order), 0);
}
