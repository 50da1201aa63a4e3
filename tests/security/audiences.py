"""Who may use each route of the exchange, route by route; the test reads it, and fails on any route the
application serves that is not listed here, so a new route is classified before it lands.

Audience, after the method and path:
- public: anyone, signed in or not;
- user: anyone signed in (their own things), and sign-in first for everyone else;
- roles: only these (see world.EMAILS) get through; every other role gets 403 or 404 and changes nothing. A
  role ending in "?" may also get 404 in the test's world (payments off, nothing of the kind to act on).
"""

AUDIENCES = """
GET    /                                                                        public
GET    /about                                                                   public
GET    /accessibility                                                           public
GET    /account                                                                 user
GET    /account/notifications                                                   user
POST   /account/notifications                                                   user
GET    /account/organisation-suggestions                                        public
GET    /account/password                                                        user
POST   /account/password                                                        user
GET    /account/password-reset                                                  public
POST   /account/password-reset                                                  public
GET    /account/password-reset/{token}                                          public
POST   /account/password-reset/{token}                                          public
GET    /account/resend-verification                                             public
POST   /account/resend-verification                                             public
POST   /account/sessions/end-others                                             user
POST   /account/sessions/{session_id}/end                                       supplier
GET    /account/sign-in                                                         public
POST   /account/sign-in                                                         public
POST   /account/sign-out                                                        public
GET    /account/sign-up                                                         public
POST   /account/sign-up                                                         public
GET    /account/verify-email/{token}                                            public
GET    /admin                                                                   admin
GET    /admin/billing                                                           admin
POST   /admin/billing/events/{event_id}/replay                                  admin?
POST   /admin/council-domains                                                   admin
GET    /admin/jobs                                                              admin
POST   /admin/jobs/emails/{message_id}/drop                                     admin?
POST   /admin/jobs/emails/{message_id}/retry                                    admin?
POST   /admin/jobs/{failed_job_id}/drop                                         admin
POST   /admin/jobs/{failed_job_id}/retry                                        admin
GET    /admin/messages                                                          admin
POST   /admin/organisations/{organisation_id}/verify                            admin
GET    /api/v1/case-studies                                                     public
GET    /api/v1/case-studies/{case_study_id}                                     public
POST   /api/v1/endorsements                                                     user
DELETE /api/v1/endorsements/{endorsement_id}                                    council
GET    /api/v1/endorsements/{kind}/{item_id}                                    public
GET    /api/v1/follows                                                          user
DELETE /api/v1/follows/{kind}/{target_id}                                       user
PUT    /api/v1/follows/{kind}/{target_id}                                       user
GET    /api/v1/needs                                                            public
POST   /api/v1/needs                                                            user
GET    /api/v1/needs/{need_id}                                                  public
PUT    /api/v1/needs/{need_id}                                                  user
GET    /api/v1/needs/{need_id}/clarifications                                   public
GET    /api/v1/needs/{need_id}/evaluation                                       council
POST   /api/v1/needs/{need_id}/evaluation/declaration                           public
POST   /api/v1/needs/{need_id}/evaluation/moderation                            council
GET    /api/v1/needs/{need_id}/invitations                                      council
POST   /api/v1/needs/{need_id}/invitations                                      council
GET    /api/v1/needs/{need_id}/evaluation/panel                                 council
PUT    /api/v1/needs/{need_id}/evaluation/panel                                 public
GET    /api/v1/needs/{need_id}/matches                                          council admin
GET    /api/v1/needs/{need_id}/ocds                                             public
GET    /api/v1/needs/{need_id}/outcome                                          council?
POST   /api/v1/needs/{need_id}/outcome                                          public
GET    /api/v1/needs/{need_id}/procurement                                      public
GET    /api/v1/needs/{need_id}/proposal                                         supplier
PUT    /api/v1/needs/{need_id}/proposal                                         supplier other_supplier
GET    /api/v1/needs/{need_id}/proposal/outcome                                 supplier?
POST   /api/v1/needs/{need_id}/proposal/submit                                  supplier
POST   /api/v1/needs/{need_id}/proposal/withdraw                                supplier
GET    /api/v1/needs/{need_id}/proposals                                        council
PUT    /api/v1/needs/{need_id}/proposals/{proposal_id}/moderation               public
PUT    /api/v1/needs/{need_id}/proposals/{proposal_id}/scores/{criterion_id}    public
POST   /api/v1/needs/{need_id}/stage                                            user
GET    /api/v1/ocds/releases                                                    public
GET    /api/v1/offers                                                           public
POST   /api/v1/offers                                                           user
GET    /api/v1/offers/{offer_id}                                                public
PUT    /api/v1/offers/{offer_id}                                                user
POST   /api/v1/offers/{offer_id}/status                                         user
GET    /api/v1/openapi.json                                                     public
GET    /api/v1/organisations                                                    public
GET    /api/v1/organisations/{organisation_id}                                  public
GET    /api/v1/organisations/{organisation_id}/opportunities                    supplier admin
GET    /api/v1/organisations/{organisation_id}/profile                          public
GET    /api/v1/pitches                                                          public
POST   /api/v1/pitches                                                          user
GET    /api/v1/pitches/{pitch_id}                                               public
PUT    /api/v1/pitches/{pitch_id}                                               user
POST   /api/v1/pitches/{pitch_id}/status                                        user
GET    /api/v1/saved-searches                                                   user
POST   /api/v1/saved-searches                                                   user
DELETE /api/v1/saved-searches/{saved_id}                                        council
GET    /api/v1/search                                                           public
GET    /api/v1/sessions                                                         public
GET    /api/v1/sessions/{session_id}                                            public
GET    /api/v1/sessions/{session_id}/agenda                                     council supplier other_council
GET    /api/v1/trends                                                           public
GET    /billing/cancelled                                                       user
POST   /billing/checkout                                                        supplier?
GET    /billing/pages/{page_id}                                                 supplier
GET    /billing/success                                                         user
GET    /billing/{organisation_id}                                               supplier admin
GET    /billing/{organisation_id}/analytics                                     supplier admin
POST   /billing/{organisation_id}/portal                                        supplier?
GET    /calendars/sessions/{token}.ics                                          public
GET    /case-studies                                                            public
GET    /case-studies/new                                                        user
POST   /case-studies/new                                                        user
GET    /case-studies/supplier-listings                                          user
GET    /case-studies/{case_study_id}                                            public
GET    /case-studies/{case_study_id}/edit                                       other_council
POST   /case-studies/{case_study_id}/edit                                       other_council
POST   /case-studies/{case_study_id}/interest                                   user
POST   /case-studies/{case_study_id}/interest/withdraw                          user
POST   /case-studies/{case_study_id}/publish                                    other_council
POST   /case-studies/{case_study_id}/unpublish                                  other_council
GET    /contact                                                                 public
POST   /contact                                                                 public
GET    /contact/council-domain                                                  public
POST   /contact/council-domain                                                  public
GET    /contact/sent                                                            public
POST   /conversations/posts/{post_id}/replies                                   user
POST   /conversations/posts/{post_id}/support                                   user
GET    /conversations/{kind}/{subject_id}                                       public
POST   /conversations/{kind}/{subject_id}/posts                                 user
GET    /cookies                                                                 public
GET    /dashboard                                                               user
GET    /dev/mail                                                                public
GET    /docs                                                                    public
GET    /endorse/{kind}/{item_id}                                                council
POST   /endorse/{kind}/{item_id}                                                council
POST   /endorsements/{endorsement_id}/withdraw                                  council
GET    /following                                                               user
GET    /follows/{kind}/{target_id}                                              user
POST   /follows/{kind}/{target_id}                                              user
POST   /follows/{kind}/{target_id}/remove                                       user
GET    /groups                                                                  public
GET    /groups/new                                                              council other_council admin
POST   /groups/new                                                              user
GET    /groups/{slug}                                                           council other_council admin
POST   /groups/{slug}/facilitators                                              council other_council admin
POST   /groups/{slug}/invitations                                               council admin
POST   /groups/{slug}/join                                                      council other_council admin
POST   /groups/{slug}/requests/{user_id}                                        council admin
GET    /healthz                                                                 public
GET    /moderation                                                              council admin
POST   /moderation/posts/{post_id}/approve                                      admin
GET    /moderation/report/{kind}/{content_id}                                   user
POST   /moderation/report/{kind}/{content_id}                                   user
POST   /moderation/users/{user_id}/suspend                                      admin
POST   /moderation/{kind}/{content_id}/dismiss                                  admin
POST   /moderation/{kind}/{content_id}/hide                                     admin
POST   /moderation/{kind}/{content_id}/restore                                  admin
GET    /needs.atom                                                              public
GET    /needs/new                                                               user
POST   /needs/new                                                               user
GET    /needs/{need_id}                                                         public
GET    /needs/{need_id}/clarifications                                          council
GET    /needs/{need_id}/clarifications/new                                      user
POST   /needs/{need_id}/clarifications/new                                      user
POST   /needs/{need_id}/clarifications/{clarification_id}/answer                council
GET    /needs/{need_id}/clarifications/{clarification_id}/correct               council
POST   /needs/{need_id}/clarifications/{clarification_id}/correct               council
GET    /needs/{need_id}/clarifications/{clarification_id}/edit                  council
POST   /needs/{need_id}/clarifications/{clarification_id}/edit                  council
GET    /needs/{need_id}/edit                                                    council
POST   /needs/{need_id}/edit                                                    council
GET    /needs/{need_id}/evaluation                                              council
GET    /needs/{need_id}/evaluation.csv                                          council
GET    /needs/{need_id}/evaluation.xlsx                                         council
POST   /needs/{need_id}/evaluation/declaration                                  council
POST   /needs/{need_id}/evaluation/moderation                                   council
GET    /needs/{need_id}/invitations/new                                         council
POST   /needs/{need_id}/invitations                                             council
POST   /needs/{need_id}/evaluation/panel                                        council
GET    /needs/{need_id}/matches                                                 council admin
GET    /needs/{need_id}/outcome                                                 council
POST   /needs/{need_id}/outcome                                                 council
GET    /needs/{need_id}/preview                                                 council?
GET    /needs/{need_id}/procurement                                             council
POST   /needs/{need_id}/procurement                                             council
GET    /needs/{need_id}/proposals                                               council
GET    /needs/{need_id}/record.xlsx                                             council
GET    /needs/{need_id}/record/{sheet}.csv                                      council
POST   /needs/{need_id}/proposals/close-early                                   council
GET    /needs/{need_id}/proposals/{proposal_id}                                 council supplier
GET    /needs/{need_id}/proposals/{proposal_id}/edit                            supplier
POST   /needs/{need_id}/proposals/{proposal_id}/edit                            supplier
GET    /needs/{need_id}/proposals/{proposal_id}/moderation                      council
POST   /needs/{need_id}/proposals/{proposal_id}/moderation                      council
GET    /needs/{need_id}/proposals/{proposal_id}/outcome                         supplier?
GET    /needs/{need_id}/proposals/{proposal_id}/review                          supplier
GET    /needs/{need_id}/proposals/{proposal_id}/scores                          council
POST   /needs/{need_id}/proposals/{proposal_id}/scores                          council
POST   /needs/{need_id}/proposals/{proposal_id}/shortlist                       council
POST   /needs/{need_id}/proposals/{proposal_id}/submit                          supplier
GET    /needs/{need_id}/proposals/{proposal_id}/withdraw                        supplier
POST   /needs/{need_id}/proposals/{proposal_id}/withdraw                        supplier
POST   /needs/{need_id}/publish                                                 council?
GET    /needs/{need_id}/respond                                                 user
POST   /needs/{need_id}/respond                                                 supplier other_supplier
GET    /needs/{need_id}/shortlist                                               council admin
POST   /needs/{need_id}/shortlist                                               council admin
POST   /needs/{need_id}/shortlist/{organisation_id}/remove                      council?
POST   /needs/{need_id}/stage                                                   user
GET    /notifications                                                           user
POST   /notifications/read                                                      user
GET    /notifications/unsubscribe                                               public
POST   /notifications/unsubscribe                                               public
GET    /offers/new                                                              user
POST   /offers/new                                                              user
GET    /offers/{listing_id}                                                     public
GET    /offers/{listing_id}/edit                                                supplier
POST   /offers/{listing_id}/edit                                                supplier
POST   /offers/{listing_id}/status                                              user
GET    /opportunities                                                           user
GET    /organisations                                                           public
POST   /organisations/members/{member_id}/decision                              user
GET    /organisations/{slug}                                                    public
GET    /organisations/{slug}/edit                                               supplier admin
POST   /organisations/{slug}/edit                                               user
GET    /organisations/{slug}/profile                                            public
GET    /organisations/{slug}/profile/certifications                             supplier admin
POST   /organisations/{slug}/profile/certifications                             supplier admin
POST   /organisations/{slug}/profile/certifications/{item_id}/remove            supplier admin
GET    /organisations/{slug}/profile/declarations                               supplier admin
POST   /organisations/{slug}/profile/declarations                               supplier admin
GET    /organisations/{slug}/profile/identity                                   supplier admin
POST   /organisations/{slug}/profile/identity                                   supplier admin
GET    /organisations/{slug}/profile/insurance                                  supplier admin
POST   /organisations/{slug}/profile/insurance                                  supplier admin
POST   /organisations/{slug}/profile/insurance/{item_id}/remove                 supplier admin
GET    /organisations/{slug}/profile/past-contracts                             supplier admin
POST   /organisations/{slug}/profile/past-contracts                             supplier admin
POST   /organisations/{slug}/profile/past-contracts/{item_id}/remove            supplier admin
GET    /organisations/{slug}/profile/policies                                   supplier admin
POST   /organisations/{slug}/profile/policies                                   supplier admin
GET    /organisations/{slug}/profile/references                                 supplier admin
POST   /organisations/{slug}/profile/references                                 supplier admin
POST   /organisations/{slug}/profile/references/{item_id}/remove                supplier admin
POST   /organisations/{slug}/profile/references/{reference_id}/confirm          council
POST   /payments/stripe/webhook                                                 public
GET    /pitches/new                                                             user
POST   /pitches/new                                                             user
GET    /pitches/{listing_id}                                                    public
GET    /pitches/{listing_id}/edit                                               supplier
POST   /pitches/{listing_id}/edit                                               supplier
POST   /pitches/{listing_id}/status                                             user
GET    /pricing                                                                 public
GET    /privacy                                                                 public
GET    /readyz                                                                  public
GET    /saved-searches                                                          user
GET    /saved-searches/feed/{token}.atom                                        public
GET    /saved-searches/new                                                      user
POST   /saved-searches/new                                                      user
POST   /saved-searches/{saved_id}/delete                                        council
POST   /saved-searches/{saved_id}/frequency                                     council
GET    /search                                                                  public
GET    /sessions                                                                public
GET    /sessions/new                                                            user
POST   /sessions/new                                                            user
GET    /sessions/{session_id}                                                   public
GET    /sessions/{session_id}/agenda                                            council supplier other_council
GET    /sessions/{session_id}/agendas/print                                     council admin
GET    /sessions/{session_id}/cancel                                            council admin
POST   /sessions/{session_id}/cancel                                            council admin
GET    /sessions/{session_id}/check-in                                          council admin
GET    /sessions/{session_id}/check-in/{token}                                  council admin
GET    /sessions/{session_id}/edit                                              council admin
POST   /sessions/{session_id}/edit                                              council admin
GET    /sessions/{session_id}/meetings/{meeting_id}/cancel                      supplier
POST   /sessions/{session_id}/meetings/{meeting_id}/cancel                      supplier
GET    /sessions/{session_id}/meetings/{meeting_id}/feedback                    council? supplier
POST   /sessions/{session_id}/meetings/{meeting_id}/feedback                    council? supplier
POST   /sessions/{session_id}/meetings/{meeting_id}/follow-up                   user
POST   /sessions/{session_id}/meetings/{meeting_id}/lock                        council admin
POST   /sessions/{session_id}/meetings/{meeting_id}/move                        council admin
POST   /sessions/{session_id}/meetings/{meeting_id}/remove                      council admin
POST   /sessions/{session_id}/meetings/{meeting_id}/video-link                   council admin
GET    /sessions/{session_id}/outcomes                                          council admin
GET    /sessions/{session_id}/participants/{participant_id}/agenda.ics          supplier
POST   /sessions/{session_id}/participants/{participant_id}/approve              council admin
POST   /sessions/{session_id}/participants/{participant_id}/check-in            council admin
POST   /sessions/{session_id}/participants/{participant_id}/decline              council admin
GET    /sessions/{session_id}/participants/{participant_id}/edit                supplier
POST   /sessions/{session_id}/participants/{participant_id}/edit                supplier
GET    /sessions/{session_id}/participants/{participant_id}/preferences         supplier
POST   /sessions/{session_id}/participants/{participant_id}/preferences         supplier
GET    /sessions/{session_id}/participants/{participant_id}/remove              council admin
POST   /sessions/{session_id}/participants/{participant_id}/remove              council admin
POST   /sessions/{session_id}/participants/{participant_id}/requests             supplier
POST   /sessions/{session_id}/participants/{participant_id}/requests/{request_id}/accept supplier
POST   /sessions/{session_id}/participants/{participant_id}/requests/{request_id}/decline supplier
GET    /sessions/{session_id}/participants/{participant_id}/withdraw            supplier
POST   /sessions/{session_id}/participants/{participant_id}/withdraw            supplier
GET    /sessions/{session_id}/register                                          user
POST   /sessions/{session_id}/register                                          user
GET    /sessions/{session_id}/registrations                                      council admin
GET    /sessions/{session_id}/report                                            council admin
GET    /sessions/{session_id}/report.xlsx                                       council admin
GET    /sessions/{session_id}/report/meetings.csv                               council admin
GET    /sessions/{session_id}/report/outcomes.csv                               council admin
GET    /sessions/{session_id}/report/participants.csv                           council admin
GET    /sessions/{session_id}/restore                                           council admin
POST   /sessions/{session_id}/restore                                           council admin
GET    /sessions/{session_id}/schedule                                          council admin
GET    /sessions/{session_id}/schedule/clear                                    council admin
POST   /sessions/{session_id}/schedule/clear                                    council admin
POST   /sessions/{session_id}/schedule/fill                                     council admin
POST   /sessions/{session_id}/schedule/generate                                 council admin
POST   /sessions/{session_id}/schedule/import                                   council admin
POST   /sessions/{session_id}/schedule/meetings                                 council admin
GET    /sessions/{session_id}/schedule/instance.json                            council admin
GET    /sessions/{session_id}/schedule/runs/{run_id}                            council admin
GET    /sessions/{session_id}/setup                                              council admin
POST   /sessions/{session_id}/setup/approval                                     council admin
POST   /sessions/{session_id}/setup/questions                                    council admin
POST   /sessions/{session_id}/setup/questions/remove                             council admin
POST   /sessions/{session_id}/setup/tables                                       council admin
POST   /sessions/{session_id}/status                                            council admin
GET    /sessions/{session_id}/walk-in                                           council admin
POST   /sessions/{session_id}/walk-in                                           council admin
GET    /trends                                                                  public
GET    /trends/{chart}.csv                                                      public
"""
