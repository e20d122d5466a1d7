import { useState } from 'preact/hooks';
import { getFullProfile, resetAccessToken, setAvailability, updateProfile } from '../api/profile.js';
import { auth } from '../auth/state.js';
import { SimpleForm, text, textOrNull } from '../settings/form.js';
import { Secret } from '../settings/secret.js';
import { useLoad } from '../settings/use-load.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import '../settings/settings.css';

const AVAILABILITIES = ['online', 'busy', 'offline'] as const;

/** /accounts/:account/profile — any user: name, availability, access token, password. */
export function ProfilePage({ accountId }: { accountId: number }) {
  const { data: profile, error, setData } = useLoad(getFullProfile, []);
  const [problem, setProblem] = useState('');
  const show = (fresh: Awaited<ReturnType<typeof getFullProfile>>) => {
    setData(fresh);
    // the sidebar's name and the account list come from the same profile
    auth.set((state) => (state.status === 'signed-in' ? { status: 'signed-in', profile: fresh } : state));
  };
  const availability = profile?.accounts.find((a) => a.id === accountId)?.availability ?? 'online';
  return (
    <main class="settings-page profile-page">
      <h1>Profile</h1>
      {error && <p role="alert">{error}</p>}
      {profile && (
        <div class="settings-body">
          <section class="settings-section" aria-labelledby="profile-details">
            <h2 id="profile-details">Your details</h2>
            <SimpleForm
              key={`${profile.id}`}
              name="Your details"
              keep
              done="Saved"
              submitLabel="Save profile"
              fields={[
                { name: 'name', label: 'Full name', required: true, initial: profile.name },
                { name: 'display_name', label: 'Display name', initial: profile.display_name ?? '' },
              ]}
              onSubmit={async (v) =>
                show(await updateProfile({ name: text(v.name), display_name: textOrNull(v.display_name) }))
              }
            />
            <label class="availability">
              Availability
              <select
                value={availability}
                onChange={(e) =>
                  void setAvailability(accountId, e.currentTarget.value).then(show, (err: Error) =>
                    setProblem(err.message),
                  )
                }
              >
                {AVAILABILITIES.map((a) => (
                  <option key={a} value={a}>
                    {a[0]!.toUpperCase() + a.slice(1)}
                  </option>
                ))}
              </select>
            </label>
            {problem && <p role="alert">{problem}</p>}
          </section>
          <section class="settings-section" aria-labelledby="profile-token">
            <h2 id="profile-token">Access token</h2>
            <p class="muted">For the API: send it as the api_access_token header.</p>
            {profile.access_token && (
              <Secret key={profile.access_token} label="Access token" value={profile.access_token} />
            )}
            <p>
              <ConfirmButton
                label="Reset access token"
                confirmLabel="Confirm reset"
                onConfirm={async () => show(await resetAccessToken())}
              />
            </p>
          </section>
          <section class="settings-section" aria-labelledby="profile-password">
            <h2 id="profile-password">Change password</h2>
            <SimpleForm
              name="Change password"
              done="Password changed"
              submitLabel="Change password"
              fields={[
                {
                  name: 'current_password',
                  label: 'Current password',
                  type: 'password',
                  required: true,
                  autocomplete: 'current-password',
                },
                {
                  name: 'password',
                  label: 'New password',
                  type: 'password',
                  required: true,
                  autocomplete: 'new-password',
                },
                {
                  name: 'password_confirmation',
                  label: 'Confirm the new password',
                  type: 'password',
                  required: true,
                  autocomplete: 'new-password',
                },
              ]}
              onSubmit={async (v) =>
                show(
                  await updateProfile({
                    current_password: text(v.current_password),
                    password: text(v.password),
                    password_confirmation: text(v.password_confirmation),
                  }),
                )
              }
            />
          </section>
        </div>
      )}
    </main>
  );
}
