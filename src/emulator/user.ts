// GET /v1/user and /v1/user/subscription (README: User and subscription). Every key the SDK
// requires is present; `xi_api_key` (and even a preview of it) never is.

export interface WorkspaceProfile {
  userId: string;
  workspaceId: string;
  firstName: string;
  tier: string;
  seatType: 'workspace_admin' | 'workspace_member' | 'workspace_lite_member';
  characterCount: number;
  characterLimit: number;
  voiceLimit: number;
  professionalVoiceLimit: number;
  createdAtUnix: number;
}

function subscriptionFields(profile: WorkspaceProfile): Record<string, unknown> {
  const paid = profile.tier !== 'free';
  return {
    tier: profile.tier,
    character_count: profile.characterCount,
    character_limit: profile.characterLimit,
    max_character_limit_extension: paid ? profile.characterLimit : 0,
    max_credit_limit_extension: paid ? profile.characterLimit : 0,
    can_extend_character_limit: paid,
    allowed_to_extend_character_limit: paid,
    voice_slots_used: 3,
    professional_voice_slots_used: 0,
    professional_voice_slots_used_in_workspace: 0,
    voice_limit: profile.voiceLimit,
    max_voice_add_edits: 95,
    voice_add_edit_counter: 4,
    professional_voice_limit: profile.professionalVoiceLimit,
    can_extend_voice_limit: false,
    can_use_instant_voice_cloning: paid,
    can_use_professional_voice_cloning: paid,
    currency: 'usd',
    current_overage: { amount: '0.00', currency: 'usd' },
    status: paid ? 'active' : 'free',
    billing_period: 'monthly_period',
    character_refresh_period: 'monthly_period',
  };
}

export function userBody(profile: WorkspaceProfile): Record<string, unknown> {
  return {
    user_id: profile.userId,
    workspace_id: profile.workspaceId,
    subscription: subscriptionFields(profile),
    is_new_user: false,
    can_use_delayed_payment_methods: false,
    is_onboarding_completed: true,
    is_onboarding_checklist_completed: true,
    show_compliance_terms: false,
    first_name: profile.firstName,
    is_api_key_hashed: true,
    created_at: profile.createdAtUnix,
    seat_type: profile.seatType,
  };
}

export function subscriptionBody(profile: WorkspaceProfile): Record<string, unknown> {
  return {
    ...subscriptionFields(profile),
    open_invoices: [],
    has_open_invoices: false,
  };
}
