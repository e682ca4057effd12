# One image for all four apps; APP picks which one runs:
#   docker build --build-arg APP=tracker -t asyncops-tracker .
#   docker run -e APP=importer ...   (APP can also be changed at run time)

# ---- build: install everything, compile TypeScript and the web console (dist/console), drop dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled JavaScript and production dependencies only ----
FROM node:20-bookworm-slim AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
# Owned by root and only readable by the app user: the running process cannot rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tools/register-paths.js ./tools/register-paths.js
USER node
# gateway 3000, tracker 3001, order-placement 3002, importer 3003 (each app's default PORT).
EXPOSE 3000 3001 3002 3003
# Ready = the app answers and its broker and database are up. Falls back to the app's default port
# when PORT is not set.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "const d={gateway:3000,tracker:3001,'order-placement':3002,importer:3003};fetch('http://127.0.0.1:'+(process.env.PORT||d[process.env.APP])+'/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# exec: node replaces the shell, so `docker stop`'s SIGTERM reaches the app and it shuts down
# gracefully. Run with an init process (compose `init: true`, `docker run --init`) so a PID other
# than 1 handles signals the default way after the app's own shutdown.
CMD exec node -r ./tools/register-paths.js dist/apps/${APP}/src/main.js
