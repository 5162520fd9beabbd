/* sitrep-runbook-private.h: what the runbook object and its loader share */
#pragma once

#include "sitrep-runbook.h"

G_BEGIN_DECLS

struct _SitrepRunbook
{
  GObject parent_instance;

  char *source;
  char *digest; /* SHA-256 of the bytes it was read from, in hex */
  gboolean builtin;
  GBytes *content; /* the document as read, kept with every incident declared under it */
  guint format; /* the "sitrep_runbook" version the file is written in */
  char *name;
  char *description;
  char *reminder;
  char *severity_hint;
  char *channel_format;
  SitrepEnvironment environment;  /* the only one, or the first of "environments" */
  GPtrArray *other_environments;  /* format 2: the others, owned */
  GPtrArray *environments;        /* every one, in order: &environment, then the others */
  guint environment_index;        /* the one the console works on */
  GPtrArray *severities;
  GPtrArray *contacts;
  GPtrArray *escalation;
  GPtrArray *checklist;
  GPtrArray *services;
  GPtrArray *actions;
  GPtrArray *templates;
  gboolean webhook_allow_plain_http;
  GStrv placeholder_names;  /* format 2: the runbook's own placeholders, in the file's order */
  GStrv placeholder_values;
  GPtrArray *statuses;            /* format 2: SitrepStatusSpec, or NULL for the built-in four */
  GPtrArray *postmortem_sections; /* format 2: SitrepPostmortemSection, or NULL */
};

void      sitrep_severity_free          (SitrepSeverity *severity);
void      sitrep_contact_free           (SitrepContact *contact);
void      sitrep_escalation_step_free   (SitrepEscalationStep *step);
void      sitrep_escalation_path_free   (SitrepEscalationPath *path);
void      sitrep_checklist_item_free    (SitrepChecklistItem *item);
void      sitrep_checklist_phase_free   (SitrepChecklistPhase *phase);
void      sitrep_link_free              (SitrepLink *link);
void      sitrep_environment_clear      (SitrepEnvironment *env);
void      sitrep_condition_spec_free    (SitrepConditionSpec *condition);
void      sitrep_probe_spec_free        (SitrepProbeSpec *probe);
void      sitrep_service_free           (SitrepService *service);
void      sitrep_action_input_free      (SitrepActionInput *input);
void      sitrep_action_free            (SitrepAction *action);
void      sitrep_template_free          (SitrepTemplate *template_);
void      sitrep_status_spec_free       (SitrepStatusSpec *status);
void      sitrep_postmortem_section_free (SitrepPostmortemSection *section);

gboolean  sitrep_parse_duration         (const char    *text,
                                         gint64        *msec);

G_END_DECLS
