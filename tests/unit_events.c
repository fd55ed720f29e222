/* Events and subscriptions: every name round-trips, unknown names are
   unknown, groups partition the events, and each of Blue's matching rules
   has its own case (the empty lists included). */
#define T_SUITE "events"
#define BLUEHOOK_IMPLEMENTATION
#include "../bluehook.h"
#include "t.h"

/* Blue's 37 names as DESIGN.md lists them, then the health check. */
static const char *const blue_names[] = {
    "TODO_CREATED", "TODO_DELETED", "TODO_MOVED", "TODO_NAME_CHANGED",
    "TODO_DONE_STATUS_UPDATED", "TODO_DUE_DATE_ADDED", "TODO_DUE_DATE_UPDATED",
    "TODO_DUE_DATE_REMOVED", "TODO_ASSIGNEE_ADDED", "TODO_ASSIGNEE_REMOVED",
    "TODO_TAG_ADDED", "TODO_TAG_REMOVED", "TODO_CUSTOM_FIELD_UPDATED",
    "TODO_CHECKLIST_CREATED", "TODO_CHECKLIST_NAME_CHANGED",
    "TODO_CHECKLIST_DELETED", "TODO_CHECKLIST_ITEM_CREATED",
    "TODO_CHECKLIST_ITEM_NAME_CHANGED", "TODO_CHECKLIST_ITEM_DELETED",
    "TODO_CHECKLIST_ITEM_DUE_DATE_ADDED", "TODO_CHECKLIST_ITEM_DUE_DATE_UPDATED",
    "TODO_CHECKLIST_ITEM_DUE_DATE_REMOVED", "TODO_CHECKLIST_ITEM_ASSIGNEE_ADDED",
    "TODO_CHECKLIST_ITEM_ASSIGNEE_REMOVED",
    "TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED", "TODO_LIST_CREATED",
    "TODO_LIST_DELETED", "TODO_LIST_NAME_CHANGED", "CUSTOM_FIELD_CREATED",
    "CUSTOM_FIELD_DELETED", "CUSTOM_FIELD_UPDATED", "TAG_CREATED",
    "TAG_DELETED", "TAG_UPDATED", "COMMENT_CREATED", "COMMENT_DELETED",
    "COMMENT_UPDATED", "WEBHOOK_HEALTH_CHECK"};
#define NNAMES (sizeof blue_names / sizeof blue_names[0])

static void every_name_round_trips(void)
{
    size_t i;
    CHECK_EQ(NNAMES, 38);
    CHECK_EQ(BH_EVENT_COUNT, 39);
    for (i = 0; i < NNAMES; i++) {
        bh_event e = bh_event_from_name(blue_names[i], strlen(blue_names[i]));
        CHECK_EQ(e, (int)i + 1);
        CHECK_STR(bh_event_name(e), blue_names[i]);
    }
    CHECK(bh_event_name(BH_EVENT_UNKNOWN) == NULL);
    CHECK(bh_event_name(BH_EVENT_COUNT) == NULL);
    CHECK(bh_event_name((bh_event)-3) == NULL);
}

static void unknown_names_are_unknown(void)
{
    static const char *const others[] = {
        "", "T", "TODO", "todo_created", "TODO_CREATE", "TODO_CREATEDX",
        "XTODO_CREATED", "TODO_CREATED ", "PROJECT_CREATED", "TODO_ARCHIVED",
        "WEBHOOK_HEALTH_CHECKS", "TODO_CHECKLIST_ITEM_DONE_STATUS_UPDATED_",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
    size_t i, j;
    for (i = 0; i < sizeof others / sizeof others[0]; i++)
        CHECK_EQ(bh_event_from_name(others[i], strlen(others[i])),
                 BH_EVENT_UNKNOWN);
    CHECK_EQ(bh_event_from_name(NULL, 0), BH_EVENT_UNKNOWN);
    /* a name is matched by its bytes, so an embedded NUL or a one-byte
       change anywhere is unknown */
    for (i = 0; i < NNAMES; i++) {
        char buf[64];
        size_t n = strlen(blue_names[i]);
        memcpy(buf, blue_names[i], n);
        for (j = 0; j < n; j++) {
            char c = buf[j];
            buf[j] = (char)(c ^ 0x20);
            CHECK_EQ(bh_event_from_name(buf, n), BH_EVENT_UNKNOWN);
            buf[j] = '\0';
            CHECK_EQ(bh_event_from_name(buf, n), BH_EVENT_UNKNOWN);
            buf[j] = c;
        }
        CHECK_EQ(bh_event_from_name(buf, n - 1), BH_EVENT_UNKNOWN);
        buf[n] = '\0';
        buf[n + 1] = '\0';
        CHECK_EQ(bh_event_from_name(buf, n + 2), BH_EVENT_UNKNOWN);
    }
}

static void groups_partition_events(void)
{
    static const struct { const char *group; int count; } want[] = {
        {"record", 13}, {"checklist", 3}, {"checklist-item", 9}, {"list", 3},
        {"custom-field", 3}, {"tag", 3}, {"comment", 3}, {"webhook", 1}};
    bh_event_set all = bh_event_set_none();
    size_t g;
    int e, total = 0;
    for (g = 0; g < sizeof want / sizeof want[0]; g++) {
        bh_entity k = bh_entity_from_name(want[g].group, strlen(want[g].group));
        bh_event_set s = bh_event_set_none();
        int n = 0;
        CHECK(k != BH_ENTITY_NONE);
        CHECK_STR(bh_entity_name(k), want[g].group);
        bh_event_set_add_group(&s, k);
        for (e = 1; e < BH_EVENT_COUNT; e++)
            if (bh_event_set_has(s, (bh_event)e)) {
                n++;
                CHECK_EQ(bh_event_entity((bh_event)e), k);
                CHECK(!bh_event_set_has(all, (bh_event)e)); /* disjoint */
                bh_event_set_add(&all, (bh_event)e);
            }
        CHECK_EQ(n, want[g].count);
        total += n;
    }
    CHECK_EQ(total, 38);
    CHECK_EQ(bh_event_entity(BH_EVENT_TODO_CHECKLIST_ITEM_DELETED),
             BH_ENTITY_CHECKLIST_ITEM);
    CHECK_EQ(bh_event_entity(BH_EVENT_TODO_CHECKLIST_DELETED), BH_ENTITY_CHECKLIST);
    CHECK_EQ(bh_event_entity(BH_EVENT_TODO_LIST_DELETED), BH_ENTITY_LIST);
    CHECK_EQ(bh_event_entity(BH_EVENT_TODO_TAG_ADDED), BH_ENTITY_RECORD);
    CHECK_EQ(bh_event_entity(BH_EVENT_UNKNOWN), BH_ENTITY_NONE);
    CHECK_EQ(bh_entity_from_name("records", 7), BH_ENTITY_NONE);
}

static void event_set_basics(void)
{
    bh_event_set s = bh_event_set_none();
    CHECK(bh_event_set_empty(s));
    CHECK(!bh_event_set_has(s, BH_EVENT_TAG_CREATED));
    bh_event_set_add(&s, BH_EVENT_TAG_CREATED);
    CHECK(!bh_event_set_empty(s));
    CHECK(bh_event_set_has(s, BH_EVENT_TAG_CREATED));
    CHECK(!bh_event_set_has(s, BH_EVENT_TAG_DELETED));
    bh_event_set_add(&s, BH_EVENT_UNKNOWN);
    bh_event_set_add(&s, BH_EVENT_COUNT);
    bh_event_set_add(&s, (bh_event)200);
    CHECK(!bh_event_set_has(s, BH_EVENT_UNKNOWN));
    CHECK(!bh_event_set_has(s, (bh_event)200));
    bh_event_set_add(&s, BH_EVENT_WEBHOOK_HEALTH_CHECK);
    CHECK(bh_event_set_has(s, BH_EVENT_WEBHOOK_HEALTH_CHECK));
}

/* The webhook of the real delivery in ../shared/blue. */
static const bh_event real_events[] = {
    BH_EVENT_TODO_CREATED, BH_EVENT_TODO_DELETED, BH_EVENT_TODO_MOVED,
    BH_EVENT_TODO_NAME_CHANGED, BH_EVENT_TODO_CHECKLIST_CREATED,
    BH_EVENT_TODO_CHECKLIST_NAME_CHANGED, BH_EVENT_TODO_CHECKLIST_DELETED,
    BH_EVENT_TODO_CHECKLIST_ITEM_CREATED, BH_EVENT_TODO_LIST_CREATED,
    BH_EVENT_TODO_LIST_DELETED, BH_EVENT_TODO_LIST_NAME_CHANGED,
    BH_EVENT_COMMENT_CREATED, BH_EVENT_COMMENT_DELETED, BH_EVENT_COMMENT_UPDATED};
static const char *const real_projects[] = {
    "clakt90vu000bvt64hhffqleq", "claulnu1y0000vtrcjurjgds4",
    "clb4gay0y000qvtzs8smaays8"};

static bh_webhook real_webhook(void)
{
    bh_webhook w;
    size_t i;
    memset(&w, 0, sizeof w);
    w.id = "clb4qaopy0000vt24mlp28v03";
    w.enabled = 1;
    for (i = 0; i < sizeof real_events / sizeof real_events[0]; i++)
        bh_event_set_add(&w.events, real_events[i]);
    w.project_ids = real_projects;
    w.nproject_ids = 3;
    return w;
}

#define P(s) s, strlen(s)

static void subscribed_when_event_and_project_listed(void)
{
    bh_webhook w = real_webhook();
    CHECK(bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                P("clakt90vu000bvt64hhffqleq")));
    CHECK(bh_webhook_subscribed(&w, BH_EVENT_COMMENT_UPDATED,
                                P("clb4gay0y000qvtzs8smaays8")));
}

static void not_subscribed_when_disabled(void)
{
    bh_webhook w = real_webhook();
    w.enabled = 0;
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 P("clakt90vu000bvt64hhffqleq")));
    w.events = bh_event_set_none();
    w.nproject_ids = 0;
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 P("clakt90vu000bvt64hhffqleq")));
    CHECK(!bh_webhook_subscribed(NULL, BH_EVENT_TODO_CREATED, NULL, 0));
}

static void not_subscribed_to_other_events(void)
{
    bh_webhook w = real_webhook();
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_DONE_STATUS_UPDATED,
                                 P("clakt90vu000bvt64hhffqleq")));
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_UNKNOWN,
                                 P("clakt90vu000bvt64hhffqleq")));
}

static void empty_events_means_all(void)
{
    bh_webhook w = real_webhook();
    int e;
    w.events = bh_event_set_none();
    for (e = 0; e < BH_EVENT_COUNT; e++) /* the unknown event too */
        CHECK(bh_webhook_subscribed(&w, (bh_event)e,
                                    P("claulnu1y0000vtrcjurjgds4")));
}

static void not_subscribed_to_other_projects(void)
{
    bh_webhook w = real_webhook();
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 P("clakt90vu000bvt64hhffqlex")));
    /* a prefix or an extension of a listed id is another id */
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 "clakt90vu000bvt64hhffqleq", 24));
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 P("clakt90vu000bvt64hhffqleqq")));
    /* bytes past a NUL are not ignored */
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                 "clakt90vu000bvt64hhffqleq\0\0", 27));
    /* an event without a project reaches only project-less webhooks */
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED, NULL, 0));
}

static void empty_projects_means_all(void)
{
    bh_webhook w = real_webhook();
    w.nproject_ids = 0;
    CHECK(bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED, P("anything")));
    CHECK(bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED, NULL, 0));
    CHECK(!bh_webhook_subscribed(&w, BH_EVENT_TAG_CREATED, P("anything")));
}

static void status_does_not_gate(void)
{
    /* Blue gates on enabled only; UNHEALTHY comes with enabled = false */
    bh_webhook w = real_webhook();
    w.status = BH_STATUS_UNHEALTHY;
    CHECK(bh_webhook_subscribed(&w, BH_EVENT_TODO_CREATED,
                                P("clakt90vu000bvt64hhffqleq")));
}

int main(void)
{
    T_RUN(every_name_round_trips);
    T_RUN(unknown_names_are_unknown);
    T_RUN(groups_partition_events);
    T_RUN(event_set_basics);
    T_RUN(subscribed_when_event_and_project_listed);
    T_RUN(not_subscribed_when_disabled);
    T_RUN(not_subscribed_to_other_events);
    T_RUN(empty_events_means_all);
    T_RUN(not_subscribed_to_other_projects);
    T_RUN(empty_projects_means_all);
    T_RUN(status_does_not_gate);
    return t_done();
}
